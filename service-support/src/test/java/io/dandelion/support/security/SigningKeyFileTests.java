package io.dandelion.support.security;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;

import io.dandelion.protocol.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SigningKeyFileTests {

	@TempDir
	Path directory;

	@Test
	void shouldCreateAKeyOnlyItsOwnerReadsAndKeepIt() throws Exception {
		Path file = this.directory.resolve("keys/entrance-signing-key.pem");
		KeyPair created = SigningKeyFile.loadOrCreate(file);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		KeyPair loaded = SigningKeyFile.loadOrCreate(file);
		assertThat(Ed25519Keys.encode(loaded.getPublic())).isEqualTo(Ed25519Keys.encode(created.getPublic()));
		Signature signer = Signature.getInstance("Ed25519");
		signer.initSign(loaded.getPrivate());
		signer.update(new byte[] { 1, 2, 3 });
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(created.getPublic());
		verifier.update(new byte[] { 1, 2, 3 });
		assertThat(verifier.verify(signature)).isTrue();
		try (var files = Files.list(file.getParent())) {
			assertThat(files).containsExactly(file);
		}
	}

	@Test
	void shouldRefuseAFileWithoutBothKeysAndLeaveIt() throws IOException {
		Path file = this.directory.resolve("broken.pem");
		SigningKeyFile.loadOrCreate(file);
		String pem = Files.readString(file);
		String privateOnly = pem.substring(0, pem.indexOf("-----BEGIN PUBLIC KEY-----"));
		Files.writeString(file, privateOnly, StandardCharsets.US_ASCII);
		assertThatIllegalStateException().isThrownBy(() -> SigningKeyFile.loadOrCreate(file))
			.withMessageContaining("PUBLIC KEY")
			.withMessageContaining(file.toString());
		assertThat(file).hasContent(privateOnly);
	}

	@Test
	void shouldRefuseAKeyOfAnotherAlgorithm() throws Exception {
		Path file = this.directory.resolve("rsa.pem");
		KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
		Base64.Encoder base64 = Base64.getMimeEncoder();
		Files.writeString(file,
				"-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(rsa.getPrivate().getEncoded())
						+ "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
						+ base64.encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
		assertThatIllegalStateException().isThrownBy(() -> SigningKeyFile.loadOrCreate(file))
			.withMessageContaining("Ed25519");
	}

}
