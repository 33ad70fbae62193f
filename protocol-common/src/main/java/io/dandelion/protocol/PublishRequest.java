package io.dandelion.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * A publisher attaching to a box ({@code COMMAND: PUBLISH, TYPE: PUBLISHER}); file frames
 * follow on the same connection.
 *
 * @param id the publisher's ID; names the directory its files land in on the box
 * @param ip the publisher's address as it believes it
 * @param port the publisher's REST port, optional (the original sent none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "COMMAND" })
public record PublishRequest(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port) implements Message {

	public PublishRequest {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(ip, "ip");
	}

	@JsonProperty("TYPE")
	String type() {
		return Role.PUBLISHER.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.PUBLISH;
	}

}
