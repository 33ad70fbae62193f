package io.dandelion.protocol.identity;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.dandelion.protocol.text.UntrustedText;

/**
 * The ID of a node: its role's prefix and 32 lowercase hex digits, e.g.
 * {@code box-3f2a…}. On the wire and in JSON it is the plain string.
 *
 * @param role the role the prefix names
 * @param value the whole ID, prefix included
 */
public record NodeId(Role role, String value) {

	private static final Pattern HEX = Pattern.compile("[0-9a-f]{32}");

	public NodeId {
		Objects.requireNonNull(role, "role must not be null");
		Objects.requireNonNull(value, "value must not be null");
		if (!value.startsWith(role.idPrefix()) || !HEX.matcher(value.substring(role.idPrefix().length())).matches()) {
			throw new IllegalArgumentException("Not a " + role.wireType() + " ID (expected '" + role.idPrefix()
					+ "' and 32 lowercase hex digits): " + UntrustedText.quote(value));
		}
	}

	/**
	 * A fresh ID from a random UUID without its dashes, as the original made them.
	 * @param role the role of the new node
	 * @return the new ID
	 */
	public static NodeId random(Role role) {
		Objects.requireNonNull(role, "role must not be null");
		return new NodeId(role, role.idPrefix() + UUID.randomUUID().toString().replace("-", ""));
	}

	/**
	 * Parse an ID, taking the role from its prefix.
	 * @param value the ID, e.g. {@code publisher-0123…}
	 * @return the ID
	 * @throws IllegalArgumentException when no role has that prefix or the rest is not 32
	 * lowercase hex digits
	 */
	@JsonCreator
	public static NodeId parse(String value) {
		Objects.requireNonNull(value, "value must not be null");
		for (Role role : Role.values()) {
			if (value.startsWith(role.idPrefix())) {
				return new NodeId(role, value);
			}
		}
		throw new IllegalArgumentException(
				"Not a node ID (expected 'box-', 'entrance-' or 'publisher-' and 32 lowercase hex digits): "
						+ UntrustedText.quote(value));
	}

	/**
	 * Whether the text is an ID of any role.
	 * @param value the text to check
	 * @return true when {@link #parse(String)} would accept it
	 */
	public static boolean isValid(String value) {
		if (value == null) {
			return false;
		}
		for (Role role : Role.values()) {
			if (value.startsWith(role.idPrefix())) {
				return HEX.matcher(value.substring(role.idPrefix().length())).matches();
			}
		}
		return false;
	}

	/**
	 * The ID as written on the wire.
	 * @return {@link #value()}
	 */
	@Override
	@JsonValue
	public String toString() {
		return this.value;
	}

}
