package io.dandelion.publisher.live;

import java.util.Optional;

import reactor.core.publisher.Mono;

/**
 * What a published file must hash to: {@link LiveSegments} answers from the stored acks,
 * the signed segment manifest asks it for every segment a stream's playlist lists.
 */
interface SegmentDigests {

	/**
	 * The SHA-256 of a file as published, once a box acknowledged it.
	 * @param name the file's public name, e.g. {@code /live/demo/3.ts}
	 * @return lowercase hex; empty when no box stores the file's current version
	 */
	Mono<Optional<String>> sha256(String name);

}
