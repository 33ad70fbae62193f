package io.dandelion.protocol;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "COMMAND", "AMOUNT" })
public record SearchRequest(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port, @JsonProperty("AMOUNT") Integer amount) implements Message {

	public SearchRequest {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(ip, "ip");
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
