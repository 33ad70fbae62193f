package io.dandelion.protocol.identity;

/**
 * The three kinds of node in a Dandelion network. Each has its wire {@code TYPE}, its ID
 * prefix and the name of the file its ID is kept in.
 */
public enum Role {

	/** A household device that stores files and serves them to viewers. */
	BOX("box"),

	/** The directory of live boxes. */
	ENTRANCE("entrance"),

	/** What a caster runs: pushes files to boxes and tells viewers where they are. */
	PUBLISHER("publisher");

	private final String prefix;

	Role(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * The value of the {@code TYPE} field on the wire, e.g. {@code BOX}.
	 * @return the wire type
	 */
	public String wireType() {
		return name();
	}

	/**
	 * The prefix every ID of this role starts with, e.g. {@code box-}.
	 * @return the ID prefix, dash included
	 */
	public String idPrefix() {
		return this.prefix + "-";
	}

	/**
	 * The file name the original used to persist the ID, e.g. {@code box-id.txt}.
	 * @return the ID file name
	 */
	public String idFileName() {
		return this.prefix + "-id.txt";
	}

	/**
	 * The role whose wire {@code TYPE} is the given value.
	 * @param wireType the {@code TYPE} field, e.g. {@code PUBLISHER}
	 * @return the role, or {@code null} when no role has that type
	 */
	public static Role fromWireType(String wireType) {
		for (Role role : values()) {
			if (role.name().equals(wireType)) {
				return role;
			}
		}
		return null;
	}

}
