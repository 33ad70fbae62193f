package io.dandelion.publisher.live;

import java.nio.file.Path;
import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Queues a finished live segment for publishing to boxes: the original's
 * {@code FileManager.push(path, ttl)}. The live feature calls it once per finished
 * segment; {@link LiveSegments} queues it like any file.
 */
interface SegmentPublisher {

	/**
	 * Queue one finished segment file.
	 * @param name the segment's public name, {@code /live/} and its path relative to its
	 * watch directory (e.g. {@code /live/demo/3.ts}): the {@code FILE_PATH} boxes store
	 * it under
	 * @param file the segment's absolute, normalised local path, which stays inside the
	 * publisher
	 * @param ttl how long boxes keep it
	 * @return completes once the segment is queued (not once a box stored it); an error
	 * when it could not be queued, after which the watcher offers it again
	 */
	Mono<Void> publish(String name, Path file, Duration ttl);

}
