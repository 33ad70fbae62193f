package io.dandelion.entrance.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.auth.NodeCredential;

/**
 * A credential just issued, as {@code PUT /dandelion/api/v1/credentials/{id}} answers it:
 * the only time the entrance shows the secret. Upper-case names, as the node's
 * configuration key {@code CREDENTIAL}.
 *
 * @param id the node it was issued to
 * @param credential {@code {node-id}:{secret}}, the value of the node's
 * {@code CREDENTIAL} setting
 */
@JsonPropertyOrder({ "ID", "CREDENTIAL" })
public record CredentialResponse(@JsonProperty("ID") String id, @JsonProperty("CREDENTIAL") String credential) {

	static CredentialResponse of(NodeCredential credential) {
		return new CredentialResponse(credential.id().value(), credential.format());
	}

	@Override
	public String toString() {
		// Never the secret: responses end up in logs
		return "CredentialResponse[" + this.id + "]";
	}

	/**
	 * A node that has a credential, as the list shows it.
	 *
	 * @param id the node's ID
	 */
	public record Holder(@JsonProperty("ID") String id) {

	}

}
