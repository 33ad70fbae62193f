package io.dandelion.protocol.store;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A stored file's expiry, kept in a small file beside it, so that a node rebuilds its
 * expiry records from its own disk when its Redis lost them. The sidecar of {@code name}
 * is {@code .dandelion-ttl-} and the first 32 hex digits of the SHA-256 of the name's
 * UTF-8 bytes (a fixed length, however long the name), in the same directory: a reserved
 * name ({@link StoragePaths#RESERVED_PREFIX}) that no publisher's file can take and no
 * file server serves. It holds two lines of text:
 *
 * <pre>
 * FILE 12.ts
 * EXPIRES 1712345678901
 * </pre>
 *
 * {@code EXPIRES} is Unix milliseconds, or {@code never} for TTL 0; {@code FILE} names
 * the file for a reader.
 */
public final class ExpirySidecar {

	/** How every sidecar's name starts. */
	public static final String PREFIX = StoragePaths.RESERVED_PREFIX + "ttl-";

	private static final int HASH_DIGITS = 32;

	private static final String FILE = "FILE ";

	private static final String EXPIRES = "EXPIRES ";

	private static final String NEVER = "never";

	private ExpirySidecar() {
	}

	/**
	 * The sidecar of a file.
	 * @param file the stored file
	 * @return its sidecar, in the same directory
	 */
	public static Path of(Path file) {
		return file.resolveSibling(PREFIX + hash(file.getFileName().toString()));
	}

	/**
	 * Whether a path is a sidecar.
	 * @param path a path
	 * @return true when its name is a sidecar's
	 */
	public static boolean isSidecar(Path path) {
		Path name = path.getFileName();
		return name != null && name.toString().startsWith(PREFIX);
	}

	/**
	 * Writes a file's sidecar, replacing an older one. Not fsynced: a sidecar lost in a
	 * power cut leaves a file whose expiry is recorded in Redis only.
	 * @param file the stored file
	 * @param expiry when it expires
	 * @throws IOException when it cannot be written
	 */
	public static void write(Path file, FileExpiry expiry) throws IOException {
		Files.write(of(file), content(file, expiry), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Writes a file's sidecar unless it has one: for rebuilding a sidecar while a new
	 * version of the file may be written with its own.
	 * @param file the stored file
	 * @param expiry when it expires
	 * @return whether it was written
	 * @throws IOException when it cannot be written
	 */
	public static boolean writeIfAbsent(Path file, FileExpiry expiry) throws IOException {
		try {
			Files.write(of(file), content(file, expiry), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
	}

	/**
	 * Reads a file's expiry from its sidecar.
	 * @param file the stored file
	 * @return its expiry; empty when it has no sidecar or an unreadable one (as a sidecar
	 * cut short by a crash)
	 * @throws IOException when the sidecar exists but cannot be read
	 */
	public static Optional<FileExpiry> read(Path file) throws IOException {
		String text;
		try {
			text = Files.readString(of(file), StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException | CharacterCodingException ex) {
			return Optional.empty();
		}
		for (String line : text.split("\n")) {
			if (line.startsWith(EXPIRES)) {
				return parse(line.substring(EXPIRES.length()).strip(), text.endsWith("\n"));
			}
		}
		return Optional.empty();
	}

	/**
	 * Deletes a file's sidecar, if it has one.
	 * @param file the stored file
	 * @throws IOException when it cannot be deleted
	 */
	public static void delete(Path file) throws IOException {
		Files.deleteIfExists(of(file));
	}

	/** The value of {@code EXPIRES}, only from a whole line. */
	private static Optional<FileExpiry> parse(String value, boolean whole) {
		if (!whole) {
			return Optional.empty();
		}
		if (value.equals(NEVER)) {
			return Optional.of(FileExpiry.NEVER);
		}
		try {
			return Optional.of(FileExpiry.at(Instant.ofEpochMilli(Long.parseLong(value))));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static byte[] content(Path file, FileExpiry expiry) {
		String expires = expiry.never() ? NEVER : Long.toString(expiry.at().toEpochMilli());
		return (FILE + file.getFileName() + "\n" + EXPIRES + expires + "\n").getBytes(StandardCharsets.UTF_8);
	}

	private static String hash(String name) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest).substring(0, HASH_DIGITS);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
