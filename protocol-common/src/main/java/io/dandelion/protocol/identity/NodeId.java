package io.dandelion.protocol.identity;

// TEMP stub until the real NodeId lands
public record NodeId(Role role, String value) {
	public static boolean isValid(String id) {
		return id.matches("(box|entrance|publisher)-[0-9a-f]{32}");
	}
}
