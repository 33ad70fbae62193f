package io.dandelion.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import io.dandelion.protocol.identity.NodeId;

/**
 * A secret an entrance issued to one box or publisher, written {@code {node-id}:{secret}}
 * with the secret as 32 bytes of unpadded Base64url, e.g.
 * {@code box-3f2a…:q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80}. The node proves it holds
 * it by signing its requests ({@link MessageAuth}); the entrance holds the same secret.
 *
 * @param id the node the credential belongs to; no other node may use it
 * @param secret the shared secret, 32 bytes
 */
public record NodeCredential(NodeId id, byte[] secret) {

	/** Length of a secret in bytes. */
	public static final int SECRET_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final byte[] URL_SECRET_LABEL = "dandelion-url-secret-v1".getBytes(StandardCharsets.US_ASCII);

	public NodeCredential {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(secret, "secret");
		if (secret.length != SECRET_BYTES) {
			throw new IllegalArgumentException(
					"A credential secret is " + SECRET_BYTES + " bytes, not " + secret.length);
		}
		secret = secret.clone();
	}

	/**
	 * A fresh credential for a node.
	 * @param id the node
	 * @return the credential, with a secret from a strong random source
	 */
	public static NodeCredential random(NodeId id) {
		byte[] secret = new byte[SECRET_BYTES];
		RANDOM.nextBytes(secret);
		return new NodeCredential(id, secret);
	}

	/**
	 * Read a credential written {@code {node-id}:{secret}}.
	 * @param text the credential
	 * @return the credential
	 * @throws IllegalArgumentException when it is not of that form (the message never
	 * repeats the secret)
	 */
	public static NodeCredential parse(String text) {
		Objects.requireNonNull(text, "text");
		String trimmed = text.strip();
		int colon = trimmed.indexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("A credential is written ID:SECRET, e.g. box-…:q83v…; no ':' found");
		}
		NodeId id;
		try {
			id = NodeId.parse(trimmed.substring(0, colon));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("A credential starts with the node's ID: " + ex.getMessage(), ex);
		}
		return new NodeCredential(id, decodeSecret(trimmed.substring(colon + 1)));
	}

	/**
	 * Read a secret: 32 bytes as unpadded Base64url (43 characters).
	 * @param text the secret
	 * @return its bytes
	 * @throws IllegalArgumentException when it is not such a secret
	 */
	public static byte[] decodeSecret(String text) {
		if (text == null || text.length() != 43) {
			throw new IllegalArgumentException("A credential secret is 43 characters of unpadded Base64url (32 bytes)");
		}
		try {
			return Base64.getUrlDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("A credential secret is 43 characters of unpadded Base64url (32 bytes)");
		}
	}

	/**
	 * The secret as written in a credential.
	 * @return 43 characters of unpadded Base64url
	 */
	public String encodedSecret() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(this.secret);
	}

	/**
	 * The credential as a box's or publisher's configuration holds it.
	 * @return {@code {node-id}:{secret}}
	 */
	public String format() {
		return this.id.value() + ":" + encodedSecret();
	}

	/**
	 * The secret a box's file server checks viewer URL signatures with
	 * ({@link ViewerUrlSignature}), derived from the box's credential so that the box and
	 * the entrance that issued it agree on it without another exchange; the entrance
	 * hands it to authenticated publishers in SEARCH replies ({@code URL_SECRET}).
	 * @return 43 characters of unpadded Base64url, safe inside an nginx string
	 */
	public String urlSecret() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageAuth.hmac(this.secret, URL_SECRET_LABEL));
	}

	@Override
	public byte[] secret() {
		return this.secret.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NodeCredential that && this.id.equals(that.id)
				&& MessageDigest.isEqual(this.secret, that.secret);
	}

	@Override
	public int hashCode() {
		return this.id.hashCode() * 31 + Arrays.hashCode(this.secret);
	}

	@Override
	public String toString() {
		// Never the secret: credentials end up in log lines and exception messages
		return "NodeCredential[" + this.id.value() + ":***]";
	}

}
