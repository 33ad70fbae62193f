package io.dandelion.publisher.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.dandelion.publisher.live.SegmentDigests;
import io.dandelion.publisher.live.SegmentLocations;
import io.dandelion.publisher.live.SegmentPublisher;
import io.dandelion.publisher.publish.FileRepository;

/**
 * Live HLS on the publishing pipeline: a finished segment is queued like any file, and a
 * playlist in {@code box} mode points at one of its live replicas, chosen by rendezvous
 * hashing so that it stays the same from one reload to the next (without a viewer's
 * location: a playlist is fetched once for many viewers). The signed manifest takes each
 * segment's digest from what the boxes acknowledged.
 */
@Component
class LiveSegments implements SegmentPublisher, SegmentLocations, SegmentDigests {

	private static final Logger logger = LoggerFactory.getLogger(LiveSegments.class);

	private final FileService files;

	private final FileRepository repository;

	LiveSegments(FileService files, FileRepository repository) {
		this.files = files;
		this.repository = repository;
	}

	@Override
	public Mono<Void> publish(String name, Path file, Duration ttl) {
		return this.files.queueOwn(name, file, ttl).then().onErrorResume(NameTakenException.class, (ex) -> {
			// Another watch directory's file of the same path holds the name: offering
			// this one again would not help while that one lives
			logger.warn("Not publishing segment {}: {}", file, ex.getBody().getDetail());
			return Mono.empty();
		});
	}

	@Override
	public Mono<Optional<URI>> replica(String name) {
		// Not the first of the ranked list: its order follows the boxes' load, which
		// moves between two reloads of a playlist
		return this.files.liveReplicas(name, Optional.empty())
			.map((replicas) -> stableChoice(replicas, (replica) -> replica.box().id() + name)
				.map((replica) -> URI.create(this.files.url(replica, name))))
			.onErrorResume(UnknownFileException.class, (ex) -> Mono.just(Optional.empty()));
	}

	@Override
	public Mono<Optional<String>> sha256(String name) {
		return this.repository.published(name).map((published) -> published.map(FileRepository.Published::sha256));
	}

	/**
	 * Rendezvous (highest random weight) hashing of the replicas by a key naming both the
	 * box and the file: whatever their order, and whichever other replicas come or go, a
	 * file keeps the same replica while its box lives, and files spread evenly over the
	 * boxes. The key is not the URL, whose signature changes over time.
	 * @param <T> what a replica is
	 * @param replicas the live replicas
	 * @param key names the box and the file of a replica
	 * @return the one to use, empty when there is none
	 */
	static <T> Optional<T> stableChoice(List<T> replicas, Function<T, String> key) {
		return replicas.stream().max(Comparator.comparingLong((replica) -> rendezvousWeight(key.apply(replica))));
	}

	private static long rendezvousWeight(String key) {
		// FNV-1a over the UTF-16 units, then the SplitMix64 finaliser to spread the bits
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < key.length(); i++) {
			hash = (hash ^ key.charAt(i)) * 0x100000001b3L;
		}
		hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
		hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
		return hash ^ (hash >>> 31);
	}

}
