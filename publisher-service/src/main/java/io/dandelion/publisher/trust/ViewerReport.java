package io.dandelion.publisher.trust;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a viewer page reports ({@code POST /api/v1/reports}): a segment whose bytes did
 * not hash to what the signed manifest says. Nothing in it is believed: the publisher
 * checks the box itself.
 *
 * @param filePath the file's public name ({@code FILE_PATH}), e.g.
 * {@code /live/demo/12.ts}
 * @param url the box URL the bytes came from ({@code URL})
 * @param sha256 what the bytes hashed to ({@code SHA256}), hex
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ViewerReport(@JsonProperty("FILE_PATH") String filePath, @JsonProperty("URL") String url,
		@JsonProperty("SHA256") String sha256) {

}
