package io.dandelion.entrance.trust;

import java.util.Objects;

import io.dandelion.protocol.auth.NodeCredential;

/**
 * Who sent an accepted EXCHANGE, SEARCH or REPORT: a node that proved its credential, or,
 * in compatible mode, an unsigned request from an ID that has none.
 *
 * @param nodeId the sender's ID
 * @param credential the credential it proved; {@code null} for an unsigned request
 */
public record Authentication(String nodeId, NodeCredential credential) {

	public Authentication {
		Objects.requireNonNull(nodeId, "nodeId");
	}

	/**
	 * An unsigned request, accepted because the ID has no credential.
	 * @param nodeId the sender's ID
	 * @return the authentication
	 */
	public static Authentication unsigned(String nodeId) {
		return new Authentication(nodeId, null);
	}

	/**
	 * Whether the sender proved a credential.
	 * @return {@code true} when it did
	 */
	public boolean proven() {
		return this.credential != null;
	}

}
