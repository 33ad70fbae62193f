package io.dandelion.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A box's answer to one file frame ({@code COMMAND: STORED}, new): either the stored size
 * and SHA-256, or an error. The original publisher ignores replies on its PUBLISH socket,
 * so it is safe to send to old peers.
 *
 * @param id the box's ID (optional)
 * @param filePath the frame's {@code FILE_PATH}, as the publisher sent it
 * @param size bytes stored ({@code SIZE}); {@code null} on error
 * @param sha256 lowercase hex SHA-256 of what was stored ({@code SHA256}); {@code null}
 * on error
 * @param error why the frame was refused ({@code ERROR}); {@code null} when stored
 * @param errorCode a machine-readable reason ({@code ERROR_CODE}), e.g.
 * {@code QUOTA_EXCEEDED}; {@code null} when stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = { "COMMAND" }, allowGetters = true, ignoreUnknown = true)
@JsonPropertyOrder({ "ID", "COMMAND", "FILE_PATH", "SIZE", "SHA256", "ERROR", "ERROR_CODE" })
public record StoredAck(@JsonProperty("ID") String id, @JsonProperty("FILE_PATH") String filePath,
		@JsonProperty("SIZE") Long size, @JsonProperty("SHA256") String sha256, @JsonProperty("ERROR") String error,
		@JsonProperty("ERROR_CODE") String errorCode) implements Message {

	/**
	 * An acknowledgement of a stored file.
	 * @param boxId the box
	 * @param filePath the frame's path
	 * @param size bytes stored
	 * @param sha256 their SHA-256
	 * @return the ack
	 */
	public static StoredAck stored(String boxId, String filePath, long size, String sha256) {
		return new StoredAck(boxId, filePath, size, sha256, null, null);
	}

	/**
	 * A refusal of one frame.
	 * @param boxId the box
	 * @param filePath the frame's path, if it could be read
	 * @param errorCode a machine-readable reason
	 * @param error a human-readable reason
	 * @return the ack
	 */
	public static StoredAck refused(String boxId, String filePath, String errorCode, String error) {
		return new StoredAck(boxId, filePath, null, null, error, errorCode);
	}

	/**
	 * Whether the file was stored.
	 * @return true when there is no error
	 */
	@JsonIgnore
	public boolean isStored() {
		return this.error == null;
	}

	@JsonProperty("COMMAND")
	String command() {
		return Commands.STORED;
	}

}
