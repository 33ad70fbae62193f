package io.dandelion.publisher.live;

import java.nio.file.Path;
import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Queues a finished live segment for publishing to boxes: the original's
 * {@code FileManager.push(path, ttl)}. The live feature calls it once per finished
 * segment; the publishing side (box pool and queue) implements it.
 */
public interface SegmentPublisher {

	/**
	 * Queue one finished segment file.
	 * @param file the segment's absolute, normalised local path; its string form is the
	 * {@code FILE_PATH} boxes store it under
	 * @param ttl how long boxes keep it
	 * @return completes once the segment is queued (not once a box stored it); an error
	 * when it could not be queued, after which the watcher offers it again
	 */
	Mono<Void> publish(Path file, Duration ttl);

}
