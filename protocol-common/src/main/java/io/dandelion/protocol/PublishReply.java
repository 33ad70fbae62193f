package io.dandelion.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * A box accepting a publisher ({@code COMMAND: PUBLISH, TYPE: BOX}).
 *
 * @param id the box's ID
 * @param ip the box's advertised address (the original sent its bind address, e.g.
 * {@code 0.0.0.0})
 * @param port the box's advertised port ({@code PORT}, a JSON number here, unlike
 * EXCHANGE)
 * @param message {@link Commands#ACCEPTED}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "MESSAGE", "COMMAND" })
public record PublishReply(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port, @JsonProperty("MESSAGE") String message) implements Message {

	public PublishReply {
		Objects.requireNonNull(id, "id");
	}

	/**
	 * Whether the box accepted the publisher.
	 * @return true when {@code MESSAGE} is {@code ACCEPTED}
	 */
	public boolean accepted() {
		return Commands.ACCEPTED.equals(this.message);
	}

	@JsonProperty("TYPE")
	String type() {
		return Role.BOX.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.PUBLISH;
	}

}
