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
 * @param publishTicket an entrance's permission to publish to this box
 * ({@code PUBLISH_TICKET}, new; see {@link io.dandelion.protocol.auth.PublishTicket})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "COMMAND", "PUBLISH_TICKET" })
public record PublishRequest(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port, @JsonProperty("PUBLISH_TICKET") String publishTicket) implements Message {

	public PublishRequest {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(ip, "ip");
	}

	/**
	 * A PUBLISH without a ticket, as the original sent it.
	 * @param id the publisher's ID
	 * @param ip the publisher's address
	 * @param port the publisher's REST port, optional
	 */
	public PublishRequest(String id, String ip, Integer port) {
		this(id, ip, port, null);
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
