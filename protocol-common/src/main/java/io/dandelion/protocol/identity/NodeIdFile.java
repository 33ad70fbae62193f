package io.dandelion.protocol.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a node's ID in {@code <baseDirectory>/<role>-id.txt}, as the original did, so it
 * survives restarts.
 */
public final class NodeIdFile {

	private NodeIdFile() {
	}

	/**
	 * Reads the ID from its file, or creates a random one and writes it.
	 * @param baseDirectory the directory holding the ID file, created when missing
	 * @param role the role of the node
	 * @return the ID
	 */
	public static NodeId loadOrCreate(Path baseDirectory, Role role) {
		Path file = baseDirectory.resolve(role.idFileName());
		try {
			if (Files.isRegularFile(file)) {
				NodeId id = NodeId.parse(Files.readString(file, StandardCharsets.UTF_8));
				if (id.role() != role) {
					throw new IllegalStateException(file + " holds an ID of another role: " + id);
				}
				return id;
			}
			Files.createDirectories(baseDirectory);
			NodeId id = NodeId.random(role);
			Files.writeString(file, id.value(), StandardCharsets.UTF_8);
			return id;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write " + file, ex);
		}
	}

}
