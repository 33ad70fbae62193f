package io.dandelion.agent.serving;

import java.time.Instant;
import java.util.regex.Pattern;

import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.ViewerUrlSignature;

/**
 * Which file requests the box's file server answers: every one, or only those whose URL
 * carries a valid, unexpired {@link ViewerUrlSignature} ({@code SIGNED_VIEWER_URLS} in
 * strict mode), checked with the box's URL secret. Without a secret (no
 * {@code CREDENTIAL}) a signed-only server refuses every file. The builtin server checks
 * it itself; nginx through the {@code secure_link} lines of its configuration.
 *
 * @param signed whether a file request needs a signature
 * @param secret the URL secret signatures are checked with
 * ({@link NodeCredential#urlSecret()}), {@code null} when the box has none
 */
public record ViewerUrlPolicy(boolean signed, String secret) {

	/** Every file served without a signature, as the original did. */
	public static final ViewerUrlPolicy UNSIGNED = new ViewerUrlPolicy(false, null);

	/** URL secrets are unpadded Base64url: safe inside a quoted nginx string. */
	private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");

	public ViewerUrlPolicy {
		if (secret != null && !SECRET.matcher(secret).matches()) {
			throw new IllegalArgumentException("A URL secret is unpadded Base64url");
		}
	}

	/**
	 * The policy of the box's settings.
	 * @param security the box's trust
	 * @return signed with the credential's URL secret, signed without a secret, or
	 * unsigned
	 */
	public static ViewerUrlPolicy of(BoxSecurity security) {
		if (!security.viewerUrlsSigned()) {
			return UNSIGNED;
		}
		return new ViewerUrlPolicy(true, security.credential().map(NodeCredential::urlSecret).orElse(null));
	}

	/**
	 * Whether a file request may be answered.
	 * @param path the decoded URI path (nginx's {@code $uri})
	 * @param md5 the {@code md5} query parameter as sent, may be {@code null}
	 * @param expires the {@code expires} query parameter as sent, may be {@code null}
	 * @param now the box's clock
	 * @return {@code true} when no signature is needed or the signature is valid
	 */
	public boolean allows(String path, String md5, String expires, Instant now) {
		if (!this.signed) {
			return true;
		}
		return this.secret != null && ViewerUrlSignature.isValid(path, md5, expires, this.secret, now);
	}

	@Override
	public String toString() {
		// Never the secret: the policy may end up in a log line
		return "ViewerUrlPolicy["
				+ (this.signed ? ((this.secret != null) ? "signed" : "signed, no secret: refuse all") : "unsigned")
				+ "]";
	}

}
