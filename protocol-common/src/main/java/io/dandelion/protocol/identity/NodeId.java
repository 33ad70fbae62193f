package io.dandelion.protocol.identity;

import java.util.Objects;
import java.util.UUID;

/**
 * The ID of one node, e.g. {@code box-3f2a...}: the role's prefix followed by a random
 * hex string.
 *
 * @param role the role the ID belongs to
 * @param value the whole ID, prefix included
 */
public record NodeId(Role role, String value) {

	public NodeId {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(value, "value");
		if (!value.startsWith(role.idPrefix()) || value.length() == role.idPrefix().length()) {
			throw new IllegalArgumentException("'" + value + "' is not a " + role.idPrefix() + "... ID");
		}
	}

	/**
	 * A new random ID of the given role.
	 * @param role the role
	 * @return a new ID
	 */
	public static NodeId random(Role role) {
		return new NodeId(role, role.idPrefix() + UUID.randomUUID().toString().replace("-", ""));
	}

	/**
	 * The ID written as {@code <prefix><rest>}.
	 * @param value the ID text
	 * @return the ID
	 * @throws IllegalArgumentException when no role's prefix starts the value
	 */
	public static NodeId parse(String value) {
		Objects.requireNonNull(value, "value");
		String trimmed = value.strip();
		for (Role role : Role.values()) {
			if (trimmed.startsWith(role.idPrefix())) {
				return new NodeId(role, trimmed);
			}
		}
		throw new IllegalArgumentException("'" + value + "' is not a node ID");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
