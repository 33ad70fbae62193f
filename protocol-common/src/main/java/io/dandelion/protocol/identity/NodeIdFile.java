package io.dandelion.protocol.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Keeps a node's ID across restarts in {@code <base directory>/<role>-id.txt}, the
 * original's file, so that a box stays the same box to the entrances and publishers.
 */
public final class NodeIdFile {

	private NodeIdFile() {
	}

	/**
	 * Read the node's ID, or create, store and return a fresh one when the file does not
	 * exist. The file is written to a temporary file and moved into place, so a crash
	 * never leaves a half-written ID.
	 * @param baseDirectory the directory holding the ID file, created when missing
	 * @param role the node's role, which names the file
	 * @return the stored or new ID
	 * @throws IllegalStateException when the file exists but does not hold a valid ID of
	 * {@code role}; it is never replaced, since a changed ID would make this node a
	 * stranger to the network
	 * @throws UncheckedIOException when the file or directory cannot be read or written
	 */
	public static NodeId loadOrCreate(Path baseDirectory, Role role) {
		Objects.requireNonNull(baseDirectory, "baseDirectory must not be null");
		Objects.requireNonNull(role, "role must not be null");
		Path file = baseDirectory.resolve(role.idFileName());
		try {
			if (Files.exists(file)) {
				return load(file, role);
			}
			return create(baseDirectory, file, NodeId.random(role));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the node ID file " + file, ex);
		}
	}

	/**
	 * Read the node's ID and check it is the given one, or store the given one when the
	 * file does not exist: a node whose credential (a {@code NodeCredential} of the auth
	 * package) names its ID takes that ID.
	 * @param baseDirectory the directory holding the ID file, created when missing
	 * @param id the ID the node must have
	 * @return {@code id}
	 * @throws IllegalStateException when the file holds another ID; it is never replaced
	 * @throws UncheckedIOException when the file or directory cannot be read or written
	 */
	public static NodeId loadOrAdopt(Path baseDirectory, NodeId id) {
		Objects.requireNonNull(baseDirectory, "baseDirectory must not be null");
		Objects.requireNonNull(id, "id must not be null");
		Path file = baseDirectory.resolve(id.role().idFileName());
		try {
			if (!Files.exists(file)) {
				return create(baseDirectory, file, id);
			}
			NodeId stored = load(file, id.role());
			if (!stored.equals(id)) {
				throw new IllegalStateException("The node ID file " + file + " holds " + stored.value()
						+ " but CREDENTIAL was issued to " + id.value() + ": configure the credential issued to "
						+ stored.value() + ", or remove the file to make this node " + id.value());
			}
			return stored;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the node ID file " + file, ex);
		}
	}

	private static NodeId load(Path file, Role role) throws IOException {
		String content;
		try {
			content = Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalStateException("Node ID file " + file + " is not UTF-8 text", ex);
		}
		try {
			return new NodeId(role, content);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Node ID file " + file + " does not hold a valid " + role.wireType()
					+ " ID; fix or remove it by hand: " + ex.getMessage(), ex);
		}
	}

	private static NodeId create(Path baseDirectory, Path file, NodeId id) throws IOException {
		Files.createDirectories(baseDirectory);
		Role role = id.role();
		// Same directory as the target, so the move is a rename on one file system
		Path temporary = Files.createTempFile(baseDirectory, "." + role.idFileName(), ".tmp");
		try {
			// SYNC: unattended boxes may lose power right after start-up
			Files.writeString(temporary, id.value(), StandardCharsets.UTF_8, StandardOpenOption.WRITE,
					StandardOpenOption.SYNC);
			// Assumes one node per base directory (two at once could race)
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
		return id;
	}

}
