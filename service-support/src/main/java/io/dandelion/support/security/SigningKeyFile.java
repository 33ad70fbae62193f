package io.dandelion.support.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dandelion.protocol.auth.Ed25519Keys;

/**
 * A node's Ed25519 key pair in a PEM file: a {@code PRIVATE KEY} (PKCS#8) block followed
 * by a {@code PUBLIC KEY} block (the JDK cannot derive one from the other). Created with
 * mode 600 when missing, never replaced: a new key would void every ticket and signature
 * the node made.
 */
public final class SigningKeyFile {

	private static final Pattern BLOCK = Pattern
		.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

	private SigningKeyFile() {
	}

	/**
	 * Read the key pair, or create and store a fresh one when the file does not exist.
	 * @param file the PEM file
	 * @return the key pair
	 * @throws IllegalStateException when the file exists but does not hold an Ed25519 key
	 * pair
	 * @throws UncheckedIOException when it cannot be read or written
	 */
	public static KeyPair loadOrCreate(Path file) {
		try {
			if (!Files.exists(file)) {
				create(file);
			}
			return load(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the signing key file " + file, ex);
		}
	}

	private static KeyPair load(Path file) throws IOException {
		String pem = Files.readString(file, StandardCharsets.US_ASCII);
		byte[] privateKey = null;
		byte[] publicKey = null;
		Matcher matcher = BLOCK.matcher(pem);
		while (matcher.find()) {
			byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
			switch (matcher.group(1)) {
				case "PRIVATE KEY" -> privateKey = der;
				case "PUBLIC KEY" -> publicKey = der;
				default -> {
				}
			}
		}
		if (privateKey == null || publicKey == null) {
			throw new IllegalStateException("Signing key file " + file
					+ " must hold a PRIVATE KEY and a PUBLIC KEY block; fix it, or remove it to make a new key (every ticket signed with the old one is then refused)");
		}
		try {
			KeyFactory factory = KeyFactory.getInstance("Ed25519");
			KeyPair pair = new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publicKey)),
					factory.generatePrivate(new PKCS8EncodedKeySpec(privateKey)));
			Ed25519Keys.encode(pair.getPublic());
			return pair;
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException(
					"Signing key file " + file + " does not hold an Ed25519 key pair: " + ex.getMessage(), ex);
		}
	}

	private static void create(Path file) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		KeyPair pair = Ed25519Keys.generate();
		String pem = block("PRIVATE KEY", pair.getPrivate().getEncoded())
				+ block("PUBLIC KEY", pair.getPublic().getEncoded());
		Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
		try {
			setOwnerOnly(temporary);
			Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
			// Assumes one node per key file (two first starts at once could race)
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static void setOwnerOnly(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): its ACLs are the user's to set
		}
	}

	private static String block(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
