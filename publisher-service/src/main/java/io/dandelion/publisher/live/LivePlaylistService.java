package io.dandelion.publisher.live;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dandelion.publisher.config.LiveProperties;
import io.dandelion.publisher.metrics.PublisherMetrics;
import io.dandelion.publisher.live.LiveFiles.PlaylistFile;
import io.dandelion.support.limits.WarningThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Serves the rewritten playlists: reads the encoder's playlist once per request, asks
 * {@link SegmentLocations} where each listed segment is stored, dates the segments no box
 * stores yet (for the hold-back of live playlists), and rewrites it with
 * {@link PlaylistRewriter}. The file itself is never written.
 */
@Service
class LivePlaylistService {

	private static final Logger logger = LoggerFactory.getLogger(LivePlaylistService.class);

	/**
	 * A viewer reloads a live playlist every segment; a slow look-up falls back to the
	 * origin.
	 */
	private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

	private static final int LOOKUP_CONCURRENCY = 16;

	private final LiveFiles files;

	private final SegmentLocations locations;

	private final PlaylistRewriter rewriter;

	private final Clock clock;

	private final WarningThrottle<String> lookupWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	private final PublisherMetrics metrics;

	LivePlaylistService(LiveFiles files, LiveProperties properties, ObjectProvider<SegmentLocations> locations,
			Clock clock, PublisherMetrics metrics) {
		this.metrics = metrics;
		this.files = files;
		this.clock = clock;
		// Without watch directories there is no playlist to serve; with them the
		// publishing side must provide the locations
		this.locations = properties.watchDirs().isEmpty() ? (name) -> Mono.just(Optional.empty())
				: locations.getObject();
		this.rewriter = new PlaylistRewriter(properties.segmentUrls(), properties.holdBack());
	}

	/**
	 * The playlist at a path, rewritten for viewers.
	 * @param path the playlist, relative to a watch directory
	 * @return the playlist text; a {@link LiveFileNotFoundException} when no watch
	 * directory holds it
	 */
	Mono<String> playlist(LivePath path) {
		return Mono.fromCallable(() -> this.files.readPlaylist(path))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(Mono::justOrEmpty)
			.switchIfEmpty(Mono.error(() -> new LiveFileNotFoundException(path.toString())))
			.flatMap(this::rewrite);
	}

	private Mono<String> rewrite(PlaylistFile file) {
		HlsPlaylist playlist = HlsPlaylist.parse(file.text());
		LivePath at = file.location().path();
		Path watchDir = file.location().watchDir();
		Set<LivePath> media = PlaylistRewriter.mediaFiles(playlist, at);
		return Flux.fromIterable(media)
			.flatMap((mediaFile) -> replica(mediaFile).map((replica) -> Map.entry(mediaFile, replica)),
					LOOKUP_CONCURRENCY)
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.doOnNext((replicas) -> this.metrics.playlistSegments(replicas.size(), media.size() - replicas.size()))
			.flatMap((replicas) -> unstoredAges(playlist, media, replicas, watchDir)
				.map((ages) -> this.rewriter.rewrite(playlist, at, replicas, ages)));
	}

	/**
	 * How long ago each media file no box stores was last modified; only asked of the
	 * file system when the playlist may hold segments back.
	 */
	private Mono<Map<LivePath, Duration>> unstoredAges(HlsPlaylist playlist, Set<LivePath> media,
			Map<LivePath, URI> replicas, Path watchDir) {
		if (!this.rewriter.mayHoldBack(playlist) || replicas.keySet().containsAll(media)) {
			return Mono.just(Map.of());
		}
		return Mono.fromCallable(() -> {
			Instant now = this.clock.instant();
			Map<LivePath, Duration> ages = new HashMap<>();
			for (LivePath mediaFile : media) {
				if (!replicas.containsKey(mediaFile)) {
					LiveFiles.lastModified(mediaFile.in(watchDir))
						.ifPresent((modified) -> ages.put(mediaFile, Duration.between(modified, now)));
				}
			}
			return ages;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** Where a box stores a media file, looked up by its public name. */
	private Mono<URI> replica(LivePath mediaFile) {
		return Mono.fromCallable(mediaFile::publicName)
			.flatMap(this.locations::replica)
			.timeout(LOOKUP_TIMEOUT)
			.flatMap(Mono::justOrEmpty)
			.onErrorResume((ex) -> {
				// The viewer still gets a playlist: this segment from the origin. Said
				// once
				// a minute per kind of failure: every reload of every viewer asks again
				if (this.lookupWarnings.isDue(ex.getClass().getName())) {
					logger.warn("No location for {}, serving it from the origin (said once a minute): {}", mediaFile,
							ex.toString());
				}
				else {
					logger.debug("No location for {}, serving it from the origin: {}", mediaFile, ex.toString());
				}
				return Mono.empty();
			});
	}

}
