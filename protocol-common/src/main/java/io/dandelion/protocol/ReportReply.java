package io.dandelion.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * An entrance's answer to a REPORT ({@code COMMAND: REPORT, TYPE: ENTRANCE}, new).
 *
 * @param id the entrance's ID
 * @param ip the entrance's advertised address
 * @param port the entrance's advertised port (a string on the wire, as in its other
 * replies)
 * @param message {@link Commands#ACCEPTED} when the report was counted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "TYPE", "IP", "PORT", "COMMAND", "MESSAGE" })
public record ReportReply(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") @JsonFormat(shape = JsonFormat.Shape.STRING) Integer port,
		@JsonProperty("MESSAGE") String message) implements Message {

	@JsonProperty("TYPE")
	String type() {
		return Role.ENTRANCE.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.REPORT;
	}

}
