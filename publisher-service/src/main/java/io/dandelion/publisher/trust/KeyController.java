package io.dandelion.publisher.trust;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.dandelion.protocol.identity.NodeId;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/keys}: the public key that checks this publisher's segment
 * manifests. Public: it is no secret, and every viewer page carries it anyway.
 */
@RestController
class KeyController {

	private final KeysResponse keys;

	KeyController(NodeId publisherId, PublisherSigningKey signingKey) {
		this.keys = new KeysResponse(publisherId.value(), signingKey.publicKey());
	}

	@GetMapping("/api/v1/keys")
	KeysResponse get() {
		return this.keys;
	}

	/**
	 * The publisher's public key.
	 *
	 * @param id the publisher's ID, which its manifests name
	 * @param publicKey its Ed25519 public key, 43 characters of unpadded Base64url
	 */
	@JsonPropertyOrder({ "ID", "PUBLIC_KEY" })
	record KeysResponse(@JsonProperty("ID") String id, @JsonProperty("PUBLIC_KEY") String publicKey) {

	}

}
