package io.dandelion.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * Expiring signatures on viewer URLs of a box's files, in the format of nginx's
 * {@code secure_link} module, so that nginx checks them itself: a URL
 * {@code /{publisher-id}{FILE_PATH}?md5={md5}&expires={expires}} is valid until
 * {@code expires} (Unix seconds) when {@code md5} is the unpadded Base64url MD5 of
 * {@code {expires}{path} {secret}}, with {@code path} the decoded URI path (nginx's
 * {@code $uri}) and {@code secret} the box's URL secret
 * ({@link NodeCredential#urlSecret()}). The nginx configuration that checks it: <pre>
 * secure_link $arg_md5,$arg_expires;
 * secure_link_md5 "$secure_link_expires$uri SECRET";
 * if ($secure_link != "1") { return 403; }
 * </pre> MD5 is nginx's choice; a forger needs a second preimage for the box's secret,
 * which MD5 still resists.
 */
public final class ViewerUrlSignature {

	/** Query parameter of the signature. */
	public static final String MD5_PARAMETER = "md5";

	/** Query parameter of the expiry. */
	public static final String EXPIRES_PARAMETER = "expires";

	/**
	 * Field of a SEARCH reply's box entry that hands an authenticated publisher the box's
	 * URL secret.
	 */
	public static final String SECRET_FIELD = "URL_SECRET";

	private ViewerUrlSignature() {
	}

	/**
	 * The query that signs a path until a time.
	 * @param path the decoded URI path, e.g. {@code /publisher-…/live/demo/3.ts}
	 * @param expiresAt when the URL stops working
	 * @param secret the box's URL secret
	 * @return {@code md5=…&expires=…}, to append after {@code ?}
	 */
	public static String query(String path, Instant expiresAt, String secret) {
		String expires = Long.toString(expiresAt.getEpochSecond());
		return MD5_PARAMETER + "=" + md5(path, expires, secret) + "&" + EXPIRES_PARAMETER + "=" + expires;
	}

	/**
	 * Whether a request carries a valid, unexpired signature, as nginx decides it.
	 * @param path the decoded URI path
	 * @param md5 the {@code md5} parameter, may be {@code null}
	 * @param expires the {@code expires} parameter, may be {@code null}
	 * @param secret the box's URL secret
	 * @param now the box's clock
	 * @return {@code true} only for a matching signature whose expiry is after now
	 */
	public static boolean isValid(String path, String md5, String expires, String secret, Instant now) {
		if (md5 == null || expires == null || expires.isEmpty() || expires.length() > 12
				|| !expires.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return false;
		}
		long expiresSeconds = Long.parseLong(expires);
		// nginx hashes $secure_link_expires as sent: "0123" is not "123"
		byte[] expected = md5(path, expires, secret).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, md5.getBytes(StandardCharsets.UTF_8))) {
			return false;
		}
		return now.getEpochSecond() <= expiresSeconds;
	}

	private static String md5(String path, String expires, String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("MD5")
				.digest((expires + path + " " + secret).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is part of every JDK", ex);
		}
	}

}
