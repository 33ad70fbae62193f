package io.dandelion.publisher.trust;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;

import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.support.security.SigningKeyFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's Ed25519 key pair ({@code PUBLISHER_SIGNING_KEY}), made at first start,
 * which signs the segment manifests. Viewer pages carry its public key and check every
 * live segment a box served against the signed manifest.
 */
public final class PublisherSigningKey {

	private static final Logger logger = LoggerFactory.getLogger(PublisherSigningKey.class);

	private final KeyPair keys;

	private final String publicKey;

	private PublisherSigningKey(KeyPair keys) {
		this.keys = keys;
		this.publicKey = Ed25519Keys.encode(keys.getPublic());
	}

	/**
	 * Reads the key pair, or makes and stores one when the file does not exist.
	 * @param file the PEM file
	 * @return the key
	 * @throws IllegalStateException when the file does not hold an Ed25519 key pair
	 */
	public static PublisherSigningKey loadOrCreate(Path file) {
		PublisherSigningKey key = new PublisherSigningKey(SigningKeyFile.loadOrCreate(file));
		logger.info("Segment manifests are signed with the key in {}; viewer pages check them with its public key {}",
				file, key.publicKey);
		return key;
	}

	/**
	 * The public key, as {@code GET /api/v1/keys} and the viewer page show it.
	 * @return 43 characters of unpadded Base64url, the raw key WebCrypto imports
	 */
	public String publicKey() {
		return this.publicKey;
	}

	/**
	 * Signs bytes.
	 * @param data the exact bytes a verifier will check
	 * @return the Ed25519 signature as unpadded Base64url
	 */
	public String sign(byte[] data) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(this.keys.getPrivate());
			signature.update(data);
			return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Ed25519 is part of every JDK since 15", ex);
		}
	}

}
