package io.dandelion.entrance.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code PUT /dandelion/api/v1/credentials/{id}}: {@code {"SECRET": "…"}} to
 * import a secret another entrance issued, or nothing ({@code {}}) for a fresh one.
 *
 * @param secret the {@code SECRET} as it came, any JSON value, so that a number or
 * {@code null} there is refused with a clear message; {@code null} when not given
 * @param unknown every other key, which is refused
 */
record CredentialRequest(@JsonProperty(CredentialRequest.SECRET) JsonNode secret,
		@JsonAnySetter Map<String, Object> unknown) {

	/** The one field of the body. */
	static final String SECRET = "SECRET";

	CredentialRequest {
		unknown = (unknown != null) ? unknown : new LinkedHashMap<>();
	}

	/**
	 * Whether the body asks for a fresh secret.
	 * @return {@code true} for {@code {}}
	 */
	boolean isEmpty() {
		return this.secret == null && this.unknown.isEmpty();
	}

}
