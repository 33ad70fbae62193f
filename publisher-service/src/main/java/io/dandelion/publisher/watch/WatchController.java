package io.dandelion.publisher.watch;

import io.dandelion.publisher.trust.PublisherSigningKey;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The viewer page: {@code GET /watch/{stream}} plays the stream's live playlist with
 * hls.js and shows which box served each segment. It carries the publisher's public key,
 * with which the page checks every segment a box served against the signed segment
 * manifest. The page's script and styles are static files next to it
 * ({@code /watch/watch.js}, {@code /watch/watch.css}, {@code /watch/hls.min.js}).
 */
@RestController
class WatchController {

	/**
	 * Content Security Policy of the page: scripts and styles from the publisher only;
	 * segments may come from any box over HTTP(S); hls.js plays through a MediaSource
	 * ({@code blob:}) and runs its demuxer in a worker built from a {@code blob:}.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "connect-src 'self' http: https:; media-src 'self' blob:; worker-src 'self' blob:; "
			+ "img-src 'self' data:; object-src 'none'; base-uri 'none'";

	private final PublisherSigningKey signingKey;

	WatchController(PublisherSigningKey signingKey) {
		this.signingKey = signingKey;
	}

	// Names with a dot are left to the static files (watch.js, hls.min.js...): a stream
	// name never has one.
	@GetMapping(path = "/watch/{stream:[^.]+}", produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<String> watch(@PathVariable String stream) {
		StreamName name = StreamName.of(stream);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header(HttpHeaders.CONTENT_LANGUAGE, "en")
			.body(WatchPage.render(name, this.signingKey.publicKey()));
	}

}
