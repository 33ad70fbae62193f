package io.dandelion.publisher.live;

import java.util.Locale;
import java.util.Map;

import io.dandelion.publisher.audience.ViewerAudience;
import io.dandelion.publisher.locate.ViewerAddress;
import io.dandelion.publisher.publish.PublicNames;
import io.dandelion.support.geo.GeoIpLocator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The viewer-facing live URLs: {@code GET /live/{path}.m3u8} answers a stream's playlist
 * rewritten for the boxes, {@code GET /origin/{path}} the origin copy of a segment (the
 * fallback for segments no box stores yet). Paths are relative to a watch directory, e.g.
 * {@code /live/demo/index.m3u8} and {@code /origin/demo/3.ts}. {@code GET
 * /live/{stream}/manifest.json} answers the stream's signed segment manifest (the
 * signature in the {@value #SIGNATURE_HEADER} header). All allow any origin (hls.js
 * fetches cross-origin).
 */
@RestController
@CrossOrigin(origins = "*", exposedHeaders = LiveController.SIGNATURE_HEADER)
class LiveController {

	/** Header of a manifest's signature: unpadded Base64url Ed25519 of the body. */
	static final String SIGNATURE_HEADER = "Dandelion-Signature";

	static final MediaType MPEGURL = new MediaType("application", "vnd.apple.mpegurl");

	private static final Map<String, MediaType> SEGMENT_TYPES = Map.of("ts", new MediaType("video", "mp2t"), "m4s",
			new MediaType("video", "iso.segment"), "mp4", new MediaType("video", "mp4"));

	private final LivePlaylistService playlists;

	private final LiveFiles files;

	private final SegmentManifests manifests;

	private final ViewerAddress viewers;

	private final GeoIpLocator geoip;

	private final ViewerAudience audience;

	LiveController(LivePlaylistService playlists, LiveFiles files, SegmentManifests manifests, ViewerAddress viewers,
			GeoIpLocator geoip, ViewerAudience audience) {
		this.playlists = playlists;
		this.files = files;
		this.manifests = manifests;
		this.viewers = viewers;
		this.geoip = geoip;
		this.audience = audience;
	}

	@GetMapping(PublicNames.LIVE_PREFIX + "{stream}/manifest.json")
	Mono<ResponseEntity<byte[]>> manifest(@PathVariable String stream) {
		// The exact bytes signed: a body the framework would write itself might differ
		return this.manifests.manifest(stream)
			.map((manifest) -> ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.header(SIGNATURE_HEADER, manifest.signature())
				.body(manifest.body()));
	}

	@GetMapping(PublicNames.LIVE_PREFIX + "{*path}")
	Mono<ResponseEntity<String>> playlist(@PathVariable String path, ServerHttpRequest request) {
		LivePath playlist = LivePath.parse(path).orElseThrow(InvalidLivePathException::new);
		if (!extension(playlist).equals("m3u8")) {
			throw new LiveFileNotFoundException(playlist.toString());
		}
		this.audience.record(this.viewers.of(request).flatMap(this.geoip::locate).orElse(null));
		return this.playlists.playlist(playlist)
			.map((text) -> ResponseEntity.ok().contentType(MPEGURL).cacheControl(CacheControl.noCache()).body(text));
	}

	@GetMapping(PublicNames.LIVE_ORIGIN_PREFIX + "{*path}")
	Mono<ResponseEntity<Resource>> segment(@PathVariable String path) {
		LivePath segment = LivePath.parse(path).orElseThrow(InvalidLivePathException::new);
		MediaType type = SEGMENT_TYPES.get(extension(segment));
		if (type == null) {
			throw new LiveFileNotFoundException(segment.toString());
		}
		// A FileSystemResource body gets Range support and zero-copy from WebFlux
		return Mono.fromCallable(() -> this.files.find(segment))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(Mono::justOrEmpty)
			.switchIfEmpty(Mono.error(() -> new LiveFileNotFoundException(segment.toString())))
			.map((found) -> ResponseEntity.ok().contentType(type).<Resource>body(new FileSystemResource(found.file())));
	}

	private static String extension(LivePath path) {
		String name = path.fileName();
		int dot = name.lastIndexOf('.');
		return (dot >= 0) ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
	}

}
