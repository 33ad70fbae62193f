package io.dandelion.publisher.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.dandelion.publisher.live.SegmentLocations;
import io.dandelion.publisher.live.SegmentPublisher;

/**
 * Live HLS on the publishing pipeline: a finished segment is queued like any file, and a
 * playlist points at the best live replica the redirect would choose (without a viewer's
 * location: a playlist is fetched once for many viewers).
 */
@Component
class LiveSegments implements SegmentPublisher, SegmentLocations {

	private final FileService files;

	LiveSegments(FileService files) {
		this.files = files;
	}

	@Override
	public Mono<Void> publish(Path file, Duration ttl) {
		return this.files.queueOwn(file, ttl).then();
	}

	@Override
	public Mono<Optional<URI>> bestReplica(String filePath) {
		return this.files.rank(filePath, Optional.empty())
			.map((urls) -> urls.stream().findFirst().map(URI::create))
			.onErrorResume(UnknownFileException.class, (ex) -> Mono.just(Optional.empty()));
	}

}
