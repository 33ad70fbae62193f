package io.dandelion.protocol;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * A publisher asking an entrance for boxes ({@code COMMAND: SEARCH, TYPE: PUBLISHER}).
 *
 * @param id the publisher's ID
 * @param ip the publisher's address as it believes it; the entrance ranks boxes by
 * distance to it
 * @param port the publisher's REST port, optional (the original sent none)
 * @param amount how many boxes the publisher wants at most ({@code AMOUNT}, new,
 * optional); the entrance never returns more than its own limit
 * @param authTime when the publisher signed the request ({@code AUTH_TIME}, new), Unix ms
 * as a decimal string; see {@link io.dandelion.protocol.auth.MessageAuth}
 * @param authSignature the publisher's proof of its credential ({@code AUTH_SIGNATURE},
 * new)
 * @param audience where the publisher's viewers are ({@code AUDIENCE}, new, optional, not
 * signed): the entrance ranks boxes by their distance to these regions, weighted by
 * share, instead of by their distance to the publisher; {@code null} or empty when the
 * publisher has no viewers yet
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "COMMAND", "AMOUNT", "AUTH_TIME", "AUTH_SIGNATURE", "AUDIENCE" })
public record SearchRequest(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port, @JsonProperty("AMOUNT") Integer amount,
		@JsonProperty("AUTH_TIME") String authTime, @JsonProperty("AUTH_SIGNATURE") String authSignature,
		@JsonProperty("AUDIENCE") List<AudienceShare> audience) implements Message {

	public SearchRequest {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(ip, "ip");
		if (audience != null) {
			if (audience.size() > AudienceShare.MAX_REGIONS) {
				throw new IllegalArgumentException(
						"AUDIENCE names " + audience.size() + " regions, more than " + AudienceShare.MAX_REGIONS);
			}
			audience = List.copyOf(audience);
		}
	}

	/**
	 * A search with a proof of a credential and no audience.
	 * @param id the publisher's ID
	 * @param ip the publisher's address
	 * @param port the publisher's REST port, optional
	 * @param amount how many boxes at most, optional
	 * @param authTime {@code AUTH_TIME}
	 * @param authSignature {@code AUTH_SIGNATURE}
	 */
	public SearchRequest(String id, String ip, Integer port, Integer amount, String authTime, String authSignature) {
		this(id, ip, port, amount, authTime, authSignature, null);
	}

	/**
	 * A search without a proof of a credential.
	 * @param id the publisher's ID
	 * @param ip the publisher's address
	 * @param port the publisher's REST port, optional
	 * @param amount how many boxes at most, optional
	 */
	public SearchRequest(String id, String ip, Integer port, Integer amount) {
		this(id, ip, port, amount, null, null, null);
	}

	/**
	 * This search with a proof of a credential.
	 * @param time {@code AUTH_TIME}
	 * @param signature {@code AUTH_SIGNATURE}
	 * @return a copy
	 */
	public SearchRequest withProof(String time, String signature) {
		return new SearchRequest(this.id, this.ip, this.port, this.amount, time, signature, this.audience);
	}

	/**
	 * This search naming where the publisher's viewers are.
	 * @param regions the audience, {@code null} or empty for none
	 * @return a copy
	 */
	public SearchRequest withAudience(List<AudienceShare> regions) {
		return new SearchRequest(this.id, this.ip, this.port, this.amount, this.authTime, this.authSignature,
				(regions == null || regions.isEmpty()) ? null : regions);
	}

	@JsonProperty("TYPE")
	String type() {
		return Role.PUBLISHER.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.SEARCH;
	}

}
