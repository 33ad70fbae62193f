package io.dandelion.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.dandelion.protocol.identity.Role;

/**
 * A publisher telling an entrance that a box served bytes other than the file it was
 * given ({@code COMMAND: REPORT, TYPE: PUBLISHER}, new). The publisher sends it only once
 * it fetched the file back from the box itself and found another SHA-256; it must prove
 * its credential ({@code AUTH_TIME}, {@code AUTH_SIGNATURE}).
 *
 * @param id the publisher's ID
 * @param ip the publisher's address as it believes it
 * @param port the publisher's REST port, optional
 * @param boxId the box reported ({@code BOX_ID})
 * @param filePath the public name of the file it served wrongly ({@code FILE_PATH})
 * @param reason why ({@code REASON}): {@link #SHA256_MISMATCH}
 * @param authTime when the publisher signed it ({@code AUTH_TIME})
 * @param authSignature the publisher's proof of its credential ({@code AUTH_SIGNATURE})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "TYPE", "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "IP", "PORT", "TYPE", "COMMAND", "BOX_ID", "FILE_PATH", "REASON", "AUTH_TIME",
		"AUTH_SIGNATURE" })
public record ReportRequest(@JsonProperty("ID") String id, @JsonProperty("IP") String ip,
		@JsonProperty("PORT") Integer port, @JsonProperty("BOX_ID") String boxId,
		@JsonProperty("FILE_PATH") String filePath, @JsonProperty("REASON") String reason,
		@JsonProperty("AUTH_TIME") String authTime,
		@JsonProperty("AUTH_SIGNATURE") String authSignature) implements Message {

	/** The only {@code REASON} so far: the box served bytes of another SHA-256. */
	public static final String SHA256_MISMATCH = "SHA256_MISMATCH";

	public ReportRequest {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(ip, "ip");
	}

	/**
	 * This report with a proof of a credential.
	 * @param time {@code AUTH_TIME}
	 * @param signature {@code AUTH_SIGNATURE}
	 * @return a copy
	 */
	public ReportRequest withProof(String time, String signature) {
		return new ReportRequest(this.id, this.ip, this.port, this.boxId, this.filePath, this.reason, time, signature);
	}

	@JsonProperty("TYPE")
	String type() {
		return Role.PUBLISHER.wireType();
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.REPORT;
	}

}
