package io.dandelion.entrance.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.dandelion.entrance.trust.EntranceSigningKey;
import io.dandelion.protocol.identity.NodeId;

/**
 * {@code /dandelion/api/v1/keys}: the public key that checks this entrance's publish
 * tickets, for boxes' {@code ENTRANCE_PUBLIC_KEYS}. Public: it is no secret.
 */
@RestController
@RequestMapping("/dandelion/api/v1/keys")
class KeyController {

	private final KeysResponse keys;

	KeyController(NodeId entranceId, EntranceSigningKey signingKey) {
		this.keys = new KeysResponse(entranceId.value(), signingKey.publicKey());
	}

	@GetMapping
	KeysResponse get() {
		return this.keys;
	}

	/**
	 * The entrance's public key.
	 *
	 * @param id the entrance's ID, which its tickets name
	 * @param publicKey its Ed25519 public key, 43 characters of unpadded Base64url
	 */
	@JsonPropertyOrder({ "ID", "PUBLIC_KEY" })
	record KeysResponse(@JsonProperty("ID") String id, @JsonProperty("PUBLIC_KEY") String publicKey) {

	}

}
