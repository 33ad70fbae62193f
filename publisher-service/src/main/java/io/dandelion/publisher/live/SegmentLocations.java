package io.dandelion.publisher.live;

import java.net.URI;
import java.util.Optional;

import reactor.core.publisher.Mono;

/**
 * Where viewers can fetch a published file: {@link LiveSegments} answers from the stored
 * acks and box locations, the live playlists ask it for every segment they list.
 */
interface SegmentLocations {

	/**
	 * The URL of a live box replica of a stored file: the same replica on every call for
	 * as long as its box lives, since players require a segment's URI to stay the same
	 * across playlist reloads (hls.js stops with a fatal "media sequence mismatch"
	 * otherwise).
	 * @param name the file's public name as published through {@link SegmentPublisher},
	 * e.g. {@code /live/demo/3.ts}
	 * @return the absolute URL viewers fetch the file from, e.g.
	 * {@code http://203.0.113.7:7072/publisher-…/live/demo/3.ts}; empty when the file is
	 * not stored yet or no box holding it is alive
	 */
	Mono<Optional<URI>> replica(String name);

}
