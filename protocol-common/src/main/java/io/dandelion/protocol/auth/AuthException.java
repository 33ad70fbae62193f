package io.dandelion.protocol.auth;

/**
 * A credential proof, publish ticket or viewer URL signature that is refused. Its
 * {@link #code()} goes on the wire as {@code ERROR_CODE}, its message as {@code ERROR}.
 */
public class AuthException extends Exception {

	/** Why; the names are wire values, frozen once released. */
	public enum Code {

		/**
		 * No proof where one is required, a proof for an ID without a credential, or a
		 * signature that does not match.
		 */
		UNAUTHENTICATED,

		/**
		 * {@code AUTH_TIME} outside the replay window, or not later than the last one
		 * accepted from the same node (a replay).
		 */
		STALE_REQUEST,

		/**
		 * A PUBLISH without a valid publish ticket: missing, malformed, expired, for
		 * another publisher or box, or signed by a key the box does not trust.
		 */
		BAD_TICKET

	}

	private final Code code;

	public AuthException(Code code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	/**
	 * Why the proof was refused.
	 * @return the code
	 */
	public Code code() {
		return this.code;
	}

}
