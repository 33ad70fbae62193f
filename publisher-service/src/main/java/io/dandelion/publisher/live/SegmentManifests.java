package io.dandelion.publisher.live;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.publisher.live.HlsPlaylist.Kind;
import io.dandelion.publisher.live.HlsPlaylist.Reference;
import io.dandelion.publisher.live.LiveFiles.PlaylistFile;
import io.dandelion.publisher.trust.PublisherSigningKey;
import io.dandelion.support.limits.WarningThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Signed segment manifests: for a stream, the SHA-256 of every media file its current
 * playlist lists (and, for a master playlist, the variant playlists in the stream's
 * directory) that a box stores, by public name, signed with the publisher's key. The
 * viewer page checks each segment a box served against it before the player sees it. A
 * segment no box stores is left out: viewers fetch it from the publisher itself.
 */
@Service
class SegmentManifests {

	private static final Logger logger = LoggerFactory.getLogger(SegmentManifests.class);

	/** The playlist of a stream, as the viewer page plays it. */
	static final String STREAM_PLAYLIST = "index.m3u8";

	/** Most variant playlists of a master read for one manifest. */
	private static final int MAX_VARIANTS = 16;

	private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

	private static final int LOOKUP_CONCURRENCY = 16;

	private final LiveFiles files;

	private final ObjectProvider<SegmentDigests> digests;

	private final PublisherSigningKey signingKey;

	private final ObjectMapper mapper;

	private final String publisherId;

	private final Clock clock;

	private final WarningThrottle<String> lookupWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	SegmentManifests(LiveFiles files, ObjectProvider<SegmentDigests> digests, PublisherSigningKey signingKey,
			ObjectMapper mapper, NodeId nodeId, Clock clock) {
		this.files = files;
		this.digests = digests;
		this.signingKey = signingKey;
		this.mapper = mapper;
		this.publisherId = nodeId.value();
		this.clock = clock;
	}

	/**
	 * The signed manifest of a stream, as of now.
	 * @param stream the stream's name, the directory of its playlist
	 * @return the manifest; {@link InvalidLivePathException} for a name that is not one
	 * directory, {@link LiveFileNotFoundException} when no watch directory holds the
	 * stream's playlist
	 */
	Mono<SignedManifest> manifest(String stream) {
		Optional<LivePath> playlist = LivePath.parse(stream + "/" + STREAM_PLAYLIST)
			.filter((path) -> path.names().size() == 2);
		if (playlist.isEmpty()) {
			return Mono.error(new InvalidLivePathException());
		}
		return read(playlist.get())
			.switchIfEmpty(Mono.error(() -> new LiveFileNotFoundException(playlist.get().toString())))
			.flatMap((file) -> mediaFiles(stream, file))
			.flatMap(this::digests)
			.map((segments) -> sign(new SegmentManifest(this.publisherId, stream, this.clock.millis(), segments)));
	}

	/** The media files of the playlist and of its variants inside the stream. */
	private Mono<List<LivePath>> mediaFiles(String stream, PlaylistFile file) {
		HlsPlaylist playlist = HlsPlaylist.parse(file.text());
		LivePath at = file.location().path();
		Set<LivePath> media = new LinkedHashSet<>(PlaylistRewriter.mediaFiles(playlist, at));
		if (!playlist.isMaster()) {
			return Mono.just(List.copyOf(media));
		}
		Set<LivePath> variants = new LinkedHashSet<>();
		for (Reference reference : playlist.references()) {
			if (reference.kind() == Kind.PLAYLIST) {
				// Another stream's playlist names its segments under that stream
				at.resolve(reference.uri())
					.filter((variant) -> variant.names().size() > 1 && variant.names().get(0).equals(stream))
					.ifPresent(variants::add);
			}
		}
		return Flux.fromIterable(variants)
			.take(MAX_VARIANTS)
			.concatMap(this::read)
			.map((variant) -> PlaylistRewriter.mediaFiles(HlsPlaylist.parse(variant.text()), variant.location().path()))
			.doOnNext(media::addAll)
			.then(Mono.fromSupplier(() -> List.copyOf(media)));
	}

	private Mono<PlaylistFile> read(LivePath playlist) {
		return Mono.fromCallable(() -> this.files.readPlaylist(playlist))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(Mono::justOrEmpty);
	}

	/** The digest of each media file a box stores, in playlist order. */
	private Mono<Map<String, String>> digests(List<LivePath> media) {
		List<String> names = new ArrayList<>();
		for (LivePath file : media) {
			try {
				names.add(file.publicName());
			}
			catch (IllegalArgumentException ex) {
				// Never published either: no box stores it
			}
		}
		SegmentDigests digests = this.digests.getObject();
		return Flux.fromIterable(names)
			.flatMapSequential((name) -> digests.sha256(name).timeout(LOOKUP_TIMEOUT).onErrorResume((ex) -> {
				// Left out: the viewer fetches it from the publisher instead. Said once a
				// minute per kind of failure: every viewer asks for the manifest
				if (this.lookupWarnings.isDue(ex.getClass().getName())) {
					logger.warn("No digest for {} in the manifest (said once a minute): {}", name, ex.toString());
				}
				else {
					logger.debug("No digest for {} in the manifest: {}", name, ex.toString());
				}
				return Mono.just(Optional.empty());
			}).flatMap(Mono::justOrEmpty).map((sha256) -> Map.entry(name, sha256)), LOOKUP_CONCURRENCY)
			.collectList()
			.map((entries) -> {
				Map<String, String> segments = new LinkedHashMap<>();
				entries.forEach((entry) -> segments.put(entry.getKey(), entry.getValue()));
				return segments;
			});
	}

	private SignedManifest sign(SegmentManifest manifest) {
		byte[] body;
		try {
			body = this.mapper.writeValueAsBytes(manifest);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write the manifest of " + manifest.stream(), ex);
		}
		return new SignedManifest(body, this.signingKey.sign(body));
	}

	/**
	 * What a manifest says.
	 *
	 * @param publisher the publisher's ID
	 * @param stream the stream
	 * @param issuedAt when it was made, Unix ms
	 * @param segments public name to SHA-256 (lowercase hex), in playlist order
	 */
	@JsonPropertyOrder({ "PUBLISHER", "STREAM", "ISSUED_AT", "SEGMENTS" })
	record SegmentManifest(@JsonProperty("PUBLISHER") String publisher, @JsonProperty("STREAM") String stream,
			@JsonProperty("ISSUED_AT") long issuedAt, @JsonProperty("SEGMENTS") Map<String, String> segments) {

	}

	/**
	 * A manifest as served: the exact bytes signed, and the signature.
	 *
	 * @param body the JSON body
	 * @param signature the Ed25519 signature of the body, unpadded Base64url
	 */
	record SignedManifest(byte[] body, String signature) {

	}

}
