package io.dandelion.publisher.locate;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dandelion.protocol.GeoLocation;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.pool.BoxCandidate;
import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.publisher.pool.ViewerUrls;
import io.dandelion.publisher.publish.FileRepository;
import io.dandelion.publisher.publish.PublicNames;
import io.dandelion.publisher.audience.ViewerAudience;
import io.dandelion.support.geo.GeoIpLocator;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Where viewers fetch a file: its live replicas ranked for one viewer
 * ({@link ReplicaOrder}), the one replica a live playlist names for every viewer
 * ({@link StableChoice}), and the origin when no live box holds it. The REST API's
 * redirect and the live playlists both ask here. While Redis is unavailable, the replicas
 * are those the publisher last knew of ({@link FileRepository#located}).
 */
@Service
public class FileLocator {

	private final FileRepository files;

	private final BoxPool pool;

	private final GeoIpLocator geoip;

	private final PublisherProperties properties;

	private final ViewerUrls urls;

	private final ReplicaOrder replicaOrder = ReplicaOrder.create();

	private final ViewerAudience audience;

	FileLocator(FileRepository files, BoxPool pool, GeoIpLocator geoip, PublisherProperties properties, ViewerUrls urls,
			ViewerAudience audience) {
		this.audience = audience;
		this.files = files;
		this.pool = pool;
		this.geoip = geoip;
		this.properties = properties;
		this.urls = urls;
	}

	/**
	 * The URLs of a file's live replicas, best for the viewer first (see
	 * {@link ReplicaOrder}).
	 * @param filePath its name
	 * @param viewerIp the viewer's address, if known
	 * @return the URLs, empty when no live box holds the file;
	 * {@link UnknownFileException} when the file is unknown
	 */
	public Mono<List<String>> rank(String filePath, Optional<String> viewerIp) {
		return liveReplicas(filePath, viewerIp)
			.map((replicas) -> replicas.stream().map((replica) -> url(replica, filePath)).toList());
	}

	/**
	 * The URL of the live replica best for the viewer: the first of {@link #rank}, the
	 * only one signed.
	 * @param filePath its name
	 * @param viewerIp the viewer's address, if known
	 * @return the URL, empty when no live box holds the file;
	 * {@link UnknownFileException} when the file is unknown
	 */
	public Mono<Optional<String>> best(String filePath, Optional<String> viewerIp) {
		return liveReplicas(filePath, viewerIp)
			.map((replicas) -> replicas.stream().findFirst().map((replica) -> url(replica, filePath)));
	}

	/**
	 * The URL of one live replica of a file, the same on every call for as long as its
	 * box lives, whatever the boxes' load: what a live playlist names, since players
	 * require a segment's URI to stay the same across reloads. Chosen without a viewer's
	 * location: a playlist is fetched once for many viewers.
	 * @param filePath its name
	 * @return the URL; empty when the file is unknown or no live box holds it
	 */
	public Mono<Optional<URI>> stableReplica(String filePath) {
		// Not the first of the ranked list: its order follows the boxes' load, which
		// moves between two reloads of a playlist
		return liveReplicas(filePath, Optional.empty())
			.map((replicas) -> StableChoice.of(replicas, (replica) -> replica.box().id() + filePath)
				.map((replica) -> URI.create(url(replica, filePath))))
			// Unknown (not stored yet, or expired): the playlist points at the origin
			.onErrorResume(UnknownFileException.class, (ex) -> Mono.just(Optional.empty()));
	}

	/**
	 * A file's live replicas, best for the viewer first: the near ones, drawn by
	 * headroom, then the farther ones by distance ({@link ReplicaOrder}).
	 * @param filePath its name
	 * @param viewerIp the viewer's address, if known
	 * @return the replicas, empty when no live box holds the file;
	 * {@link UnknownFileException} when the file is unknown
	 */
	Mono<List<LiveReplica>> liveReplicas(String filePath, Optional<String> viewerIp) {
		return this.files.located(filePath).flatMap((location) -> {
			Map<String, Long> replicas = location.replicas();
			if (replicas.isEmpty() && location.state().isEmpty()) {
				return Mono.error(new UnknownFileException(filePath));
			}
			GeoLocation viewer = viewerIp.flatMap(this.geoip::locate).filter(GeoLocation::hasCoordinates).orElse(null);
			this.audience.record(viewer);
			return Mono.just(this.replicaOrder.order(replicas.entrySet()
				.stream()
				.filter((replica) -> this.pool.isLive(replica.getKey()))
				.flatMap((replica) -> this.pool.candidate(replica.getKey())
					.map((box) -> new LiveReplica(box, Instant.ofEpochMilli(replica.getValue())))
					.stream())
				.toList(), viewer));
		});
	}

	/**
	 * Where viewers fetch a file from one of its replicas.
	 * @param replica the replica
	 * @param filePath the file's name
	 * @return the box's URL of the file, signed when the box checks signatures
	 */
	private String url(LiveReplica replica, String filePath) {
		return this.urls.of(replica.box(), filePath, replica.storedAt());
	}

	/**
	 * Where viewers go when no live box holds a file: the publisher's own
	 * {@code /origin/} copy of a live segment, else {@code ORIGIN_BASE_URL} plus the
	 * name.
	 * @param filePath the file's name
	 * @return the origin URL, if there is one
	 */
	public Optional<String> origin(String filePath) {
		if (filePath.startsWith(PublicNames.LIVE_PREFIX)) {
			return Optional.of(PublicNames.liveOrigin(filePath.substring(PublicNames.LIVE_PREFIX.length())));
		}
		if (this.properties.originBaseUrl() == null) {
			return Optional.empty();
		}
		String base = this.properties.originBaseUrl().toString();
		String path = PublicNames.encode(filePath);
		return Optional.of(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
	}

	/**
	 * A live box holding a file.
	 *
	 * @param box the box
	 * @param storedAt when it acknowledged the file
	 */
	record LiveReplica(BoxCandidate box, Instant storedAt) {

	}

}
