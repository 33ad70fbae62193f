package io.dandelion.publisher.live;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.dandelion.publisher.locate.FileLocator;
import io.dandelion.publisher.publish.FileIntake;
import io.dandelion.publisher.publish.FileRepository;
import io.dandelion.publisher.publish.NameTakenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Live HLS on the publishing pipeline: a finished segment is queued like any file
 * ({@link FileIntake}), a playlist in {@code box} mode points at the one live replica
 * that {@link FileLocator#stableReplica} names, and the signed manifest takes each
 * segment's digest from what the boxes acknowledged.
 */
@Component
class LiveSegments implements SegmentPublisher, SegmentLocations, SegmentDigests {

	private static final Logger logger = LoggerFactory.getLogger(LiveSegments.class);

	private final FileIntake intake;

	private final FileLocator locator;

	private final FileRepository repository;

	LiveSegments(FileIntake intake, FileLocator locator, FileRepository repository) {
		this.intake = intake;
		this.locator = locator;
		this.repository = repository;
	}

	@Override
	public Mono<Void> publish(String name, Path file, Duration ttl) {
		return this.intake.queueOwn(name, file, ttl).then().onErrorResume(NameTakenException.class, (ex) -> {
			// Another watch directory's file of the same path holds the name: offering
			// this one again would not help while that one lives
			logger.warn("Not publishing segment {}: {}", file, ex.getBody().getDetail());
			return Mono.empty();
		});
	}

	@Override
	public Mono<Optional<URI>> replica(String name) {
		return this.locator.stableReplica(name);
	}

	@Override
	public Mono<Optional<String>> sha256(String name) {
		return this.repository.published(name).map((published) -> published.map(FileRepository.Published::sha256));
	}

}
