package io.dandelion.publisher.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;

import io.dandelion.protocol.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The publisher's key: made once, kept, and its signatures are what a verifier (the JDK
 * here, WebCrypto in the viewer page) checks with the public key it shows.
 */
class PublisherSigningKeyTests {

	@TempDir
	Path directory;

	@Test
	void shouldMakeTheKeyOnceAndKeepIt() throws IOException {
		Path file = this.directory.resolve("keys").resolve("publisher-signing-key.pem");
		PublisherSigningKey made = PublisherSigningKey.loadOrCreate(file);
		assertThat(file).exists();
		assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
		assertThat(made.publicKey()).hasSize(43);
		assertThat(PublisherSigningKey.loadOrCreate(file).publicKey()).isEqualTo(made.publicKey());
	}

	@Test
	void shouldSignSoThatThePublicKeyVerifiesTheExactBytes() throws GeneralSecurityException {
		PublisherSigningKey key = PublisherSigningKey.loadOrCreate(this.directory.resolve("key.pem"));
		byte[] body = "{\"STREAM\":\"demo\",\"SEGMENTS\":{\"/live/demo/1.ts\":\"00\"}}"
			.getBytes(StandardCharsets.UTF_8);
		String signature = key.sign(body);
		assertThat(signature).hasSize(86).doesNotContain("=", "+", "/");
		assertThat(verifies(key.publicKey(), body, signature)).isTrue();
		byte[] changed = body.clone();
		changed[changed.length - 3] = '1';
		assertThat(verifies(key.publicKey(), changed, signature)).isFalse();
		String otherKey = PublisherSigningKey.loadOrCreate(this.directory.resolve("other.pem")).publicKey();
		assertThat(verifies(otherKey, body, signature)).isFalse();
	}

	@Test
	void shouldRefuseToStartOnAFileThatHoldsNoKey() throws IOException {
		Path file = Files.writeString(this.directory.resolve("broken.pem"), "not a key\n");
		assertThatIllegalStateException().isThrownBy(() -> PublisherSigningKey.loadOrCreate(file))
			.withMessageContaining(file.toString());
		assertThat(Files.readString(file)).isEqualTo("not a key\n");
	}

	private static boolean verifies(String publicKey, byte[] body, String signature) throws GeneralSecurityException {
		Signature verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(Ed25519Keys.decode(publicKey));
		verifier.update(body);
		return verifier.verify(Base64.getUrlDecoder().decode(signature));
	}

}
