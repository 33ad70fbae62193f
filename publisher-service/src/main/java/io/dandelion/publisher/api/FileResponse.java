package io.dandelion.publisher.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the publisher knows of one file, by its public name: never its local path.
 *
 * @param filePath its public name, its {@code FILE_PATH} on boxes (e.g.
 * {@code /videos/intro.mp4})
 * @param state {@code queued}, {@code sending}, {@code stored} or {@code failed}
 * @param reason why it failed
 * @param size its size in bytes, once read
 * @param sha256 its SHA-256, once read
 * @param ttl its TTL in seconds (0: kept until overwritten)
 * @param expiresAt when it expires on the boxes
 * @param replicas the boxes holding it
 * @param redirect the path that redirects viewers to the best replica,
 * {@code /r{filePath}}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FileResponse(String filePath, String state, String reason, Long size, String sha256, Long ttl, Instant expiresAt,
		List<Replica> replicas, String redirect) {

	/**
	 * One box holding the file.
	 *
	 * @param boxId the box
	 * @param url where viewers fetch the file from it, if the box is known
	 * @param storedAt when it acknowledged the file
	 * @param live whether the box may be redirected to
	 */
	record Replica(String boxId, String url, Instant storedAt, boolean live) {

	}

}
