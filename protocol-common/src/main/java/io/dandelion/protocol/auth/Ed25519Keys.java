package io.dandelion.protocol.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 public keys as they appear in configuration ({@code ENTRANCE_PUBLIC_KEYS}) and
 * on the wire: the 32-byte raw key as unpadded Base64url (43 characters), the form
 * WebCrypto imports as {@code raw}. The JDK's own Ed25519 does the signing.
 */
public final class Ed25519Keys {

	/** The DER prefix that turns a raw Ed25519 key into a SubjectPublicKeyInfo. */
	private static final byte[] SPKI_PREFIX = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
			0x00 };

	private static final int RAW_BYTES = 32;

	private Ed25519Keys() {
	}

	/**
	 * A fresh key pair.
	 * @return the pair
	 */
	public static KeyPair generate() {
		try {
			return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Ed25519 is part of every JDK since 15", ex);
		}
	}

	/**
	 * A public key as written in configuration.
	 * @param key an Ed25519 public key
	 * @return 43 characters of unpadded Base64url
	 */
	public static String encode(PublicKey key) {
		byte[] spki = key.getEncoded();
		if (spki.length != SPKI_PREFIX.length + RAW_BYTES
				|| !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
			throw new IllegalArgumentException("Not an Ed25519 public key: " + key.getAlgorithm());
		}
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
	}

	/**
	 * Read a public key written by {@link #encode(PublicKey)}.
	 * @param text 43 characters of unpadded Base64url
	 * @return the key
	 * @throws IllegalArgumentException when the text is not such a key
	 */
	public static PublicKey decode(String text) {
		String problem = "An Ed25519 public key is 43 characters of unpadded Base64url (32 bytes)";
		if (text == null || text.length() != 43 || !MessageAuth.isBase64Url(text)) {
			throw new IllegalArgumentException(problem);
		}
		byte[] raw = Base64.getUrlDecoder().decode(text);
		byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + RAW_BYTES);
		System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, RAW_BYTES);
		try {
			return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException(problem + ": " + ex.getMessage(), ex);
		}
	}

}
