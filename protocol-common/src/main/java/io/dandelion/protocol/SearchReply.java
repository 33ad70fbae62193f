package io.dandelion.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * An entrance's answer to SEARCH ({@code COMMAND: SEARCH, TYPE: ENTRANCE}): the chosen
 * boxes, best first.
 *
 * @param id the entrance's ID
 * @param ip the entrance's advertised address
 * @param port the entrance's advertised port (a string on the wire)
 * @param boxSet box ID to that box's exchange data, in rank order; entries the original
 * sent as {@code {}} (a box whose data was missing) are dropped
 * @param entranceUrls the entrances the publisher may also ask, this one first (new: the
 * original forgot it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "TYPE", "IP", "PORT", "COMMAND", "BOX_SET", "ENTRANCE_URLS" })
public record SearchReply(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") @JsonFormat(shape = JsonFormat.Shape.STRING) Integer port,
		@JsonProperty("BOX_SET") Map<String, ExchangeRequest> boxSet,
		@JsonProperty("ENTRANCE_URLS") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> entranceUrls)
		implements
			Message {

	public SearchReply {
		Objects.requireNonNull(id, "id");
		Map<String, ExchangeRequest> boxes = new LinkedHashMap<>();
		if (boxSet != null) {
			boxSet.forEach((boxId, box) -> {
				if (box != null) {
					boxes.put(boxId, box);
				}
			});
		}
		boxSet = Collections.unmodifiableMap(boxes);
		entranceUrls = (entranceUrls != null) ? List.copyOf(entranceUrls) : List.of();
	}

	@JsonProperty("TYPE")
	String type() {
		return Role.ENTRANCE.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.SEARCH;
	}

}
