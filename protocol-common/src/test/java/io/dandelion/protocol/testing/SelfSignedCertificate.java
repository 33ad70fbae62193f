package io.dandelion.protocol.testing;

import java.util.Base64;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed certificate and its key for one or more IP addresses, made by the JDK's
 * own {@code keytool} (no other tool needed), as a PKCS#12 key store for a test server
 * and a PEM file for the clients that should trust it.
 *
 * @param keyStore the PKCS#12 key store holding the key and certificate
 * @param pem the certificate alone, PEM-encoded
 * @param privateKeyPem the private key alone, PEM-encoded PKCS#8, for a server configured
 * with PEM files ({@code TLS_CERTIFICATE}, {@code TLS_PRIVATE_KEY})
 */
public record SelfSignedCertificate(Path keyStore, Path pem, Path privateKeyPem) {

	private static final String PASSWORD = "changeit";

	private static final String ALIAS = "server";

	/**
	 * Makes a certificate naming the address in its subject alternative name.
	 * @param directory where to write the files
	 * @param ip the address the certificate is for
	 * @return the files
	 */
	public static SelfSignedCertificate forAddress(Path directory, String ip) {
		return forAddresses(directory, ip);
	}

	/**
	 * Makes one certificate naming every address in its subject alternative names, as
	 * {@code ./dandelion certificate} does for a network on one machine.
	 * @param directory where to write the files
	 * @param ips the addresses, the first one also its common name
	 * @return the files
	 */
	public static SelfSignedCertificate forAddresses(Path directory, String... ips) {
		String ip = ips[0];
		Path keyStore = directory.resolve("server-" + ip + ".p12");
		Path pem = directory.resolve("server-" + ip + ".pem");
		keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + ip,
				"-ext", "SAN=ip:" + String.join(",ip:", ips), "-validity", "2", "-storetype", "PKCS12", "-keystore",
				keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
				"-file", pem.toString());
		Path privateKeyPem = directory.resolve("server-" + ip + "-key.pem");
		writePrivateKey(keyStore, privateKeyPem);
		return new SelfSignedCertificate(keyStore, pem, privateKeyPem);
	}

	private static void writePrivateKey(Path keyStore, Path target) {
		try (InputStream in = Files.newInputStream(keyStore)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			byte[] pkcs8 = store.getKey(ALIAS, PASSWORD.toCharArray()).getEncoded();
			Files.writeString(target,
					"-----BEGIN PRIVATE KEY-----\n"
							+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(pkcs8)
							+ "\n-----END PRIVATE KEY-----\n");
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot export the private key of " + keyStore, ex);
		}
	}

	/**
	 * The key managers a TLS server presents this certificate with.
	 * @return the factory, initialised
	 */
	public KeyManagerFactory keyManagers() {
		try (InputStream in = Files.newInputStream(this.keyStore)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, PASSWORD.toCharArray());
			return keys;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read " + this.keyStore, ex);
		}
	}

	private static void keytool(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run keytool", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running keytool", ex);
		}
	}

}
