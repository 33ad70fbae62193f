package io.dandelion.publisher.pool;

import io.dandelion.protocol.auth.AuthException;

/**
 * An entrance answered a SEARCH with its error reply.
 */
final class SearchRefusedException extends RuntimeException {

	private final String code;

	/**
	 * A refusal.
	 * @param code the reply's {@code ERROR_CODE}, may be {@code null}
	 * @param message what happened and what to do, for the log
	 */
	SearchRefusedException(String code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	/**
	 * The reply's {@code ERROR_CODE}.
	 * @return the code, {@code null} when the entrance gave none
	 */
	String code() {
		return this.code;
	}

	/**
	 * Whether the entrance wants a (valid, fresh) proof of a credential.
	 * @return {@code true} for {@code UNAUTHENTICATED} and {@code STALE_REQUEST}
	 */
	boolean isForWantOfProof() {
		return AuthException.Code.UNAUTHENTICATED.name().equals(this.code)
				|| AuthException.Code.STALE_REQUEST.name().equals(this.code);
	}

}
