package io.dandelion.support.security;

/**
 * How much a node insists on proof ({@code SECURITY_MODE}).
 */
public enum SecurityMode {

	/**
	 * Every EXCHANGE and SEARCH proves a credential, every PUBLISH carries a ticket,
	 * every viewer URL is signed, every REST write carries its token. The default.
	 */
	STRICT,

	/**
	 * Also accepts the original nodes' unauthenticated messages and unsigned URLs, so a
	 * network migrates node by node. A proof that is present is still checked, and an ID
	 * that has a credential is never accepted without it.
	 */
	COMPATIBLE;

	/**
	 * Whether a request without proof may be accepted.
	 * @return {@code true} in compatible mode
	 */
	public boolean acceptsUnauthenticated() {
		return this == COMPATIBLE;
	}

}
