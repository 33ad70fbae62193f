package io.dandelion.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A refusal: the replier's own info plus {@code ERROR}, and no {@code COMMAND}, as the
 * original sent it. Original clients dispatch on {@code COMMAND}, so they ignore it; ours
 * read {@code ERROR_CODE}.
 *
 * @param id the replier's ID
 * @param ip the replier's advertised address
 * @param port the replier's advertised port (a JSON number)
 * @param type the replier's {@code TYPE}
 * @param error a human-readable reason, starting with "Wrong format in your message" for
 * malformed input
 * @param errorCode a stable machine-readable reason ({@code ERROR_CODE}, new), e.g.
 * {@code MISSING_FIELD}
 * @param entranceUrls an entrance's known entrances, as the original's entrance error
 * replies carried; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "ERROR", "ERROR_CODE", "ENTRANCE_URLS" })
public record ErrorReply(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port, @JsonProperty("TYPE") String type, @JsonProperty("ERROR") String error,
		@JsonProperty("ERROR_CODE") String errorCode,
		@JsonProperty("ENTRANCE_URLS") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> entranceUrls)
		implements
			Message {

	/**
	 * How every refusal of a malformed message starts, as in the original (its tests
	 * compare this prefix).
	 */
	public static final String WRONG_FORMAT = "Wrong format in your message";

	public ErrorReply {
		error = (error != null) ? error : WRONG_FORMAT;
		entranceUrls = (entranceUrls != null) ? List.copyOf(entranceUrls) : List.of();
	}

}
