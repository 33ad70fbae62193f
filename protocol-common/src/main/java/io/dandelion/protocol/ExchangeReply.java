package io.dandelion.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * An entrance's answer to a box's EXCHANGE ({@code COMMAND: EXCHANGE, TYPE: ENTRANCE}).
 *
 * @param id the entrance's ID; {@code null} from an original entrance that has not
 * written its {@code OWN_INFO} yet (its replies then carry no ID, TYPE, IP or PORT)
 * @param ip the entrance's advertised address
 * @param port the entrance's advertised port ({@code PORT}, a string on the wire as the
 * original)
 * @param entranceUrls the WebSocket URLs of the entrances the box should heartbeat to,
 * this one first
 * @param message {@link Commands#ACCEPTED} when the heartbeat was stored
 * @param yourIp the address the entrance saw the box connect from ({@code YOUR_IP}, new),
 * so that a box behind NAT learns its public address without asking outside services; may
 * be {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "TYPE", "IP", "PORT", "ENTRANCE_URLS", "MESSAGE", "COMMAND", "YOUR_IP" })
public record ExchangeReply(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") @JsonFormat(shape = JsonFormat.Shape.STRING) Integer port,
		@JsonProperty("ENTRANCE_URLS") List<String> entranceUrls, @JsonProperty("MESSAGE") String message,
		@JsonProperty("YOUR_IP") String yourIp) implements Message {

	public ExchangeReply {
		entranceUrls = (entranceUrls != null) ? List.copyOf(entranceUrls) : List.of();
	}

	/**
	 * Whether the entrance accepted the heartbeat.
	 * @return true when {@code MESSAGE} is {@code ACCEPTED}
	 */
	public boolean accepted() {
		return Commands.ACCEPTED.equals(this.message);
	}

	@JsonProperty("TYPE")
	String type() {
		return Role.ENTRANCE.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.EXCHANGE;
	}

}
