package io.dandelion.entrance.dashboard;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator dashboard: the page ({@code GET /dandelion/dashboard}, its script, styles
 * and libraries being static files under {@code /dandelion/dashboard/}), and its data,
 * which needs the admin token like the rest of the admin API: a JSON snapshot and a
 * stream of server-sent events.
 */
@RestController
class DashboardController {

	static final String PAGE_PATH = "/dandelion/dashboard";

	static final String SNAPSHOT_PATH = "/dandelion/api/v1/dashboard";

	static final String EVENTS_PATH = "/dandelion/api/v1/dashboard/events";

	/**
	 * Content Security Policy of the page: everything from the entrance, nothing from
	 * anywhere else (the map and the plot library are served by the entrance too).
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

	private static final Resource PAGE = new ClassPathResource("dashboard/dashboard.html");

	private final DashboardService dashboard;

	DashboardController(DashboardService dashboard) {
		this.dashboard = dashboard;
	}

	@GetMapping(path = PAGE_PATH, produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<Resource> page() {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header(HttpHeaders.CONTENT_LANGUAGE, "en")
			.contentType(MediaType.TEXT_HTML)
			.body(PAGE);
	}

	@GetMapping(path = SNAPSHOT_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<DashboardSnapshot> snapshot() {
		return this.dashboard.snapshot();
	}

	@GetMapping(path = EVENTS_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<Flux<ServerSentEvent<DashboardSnapshot>>> events() {
		Flux<ServerSentEvent<DashboardSnapshot>> events = this.dashboard.updates()
			.index()
			.map((indexed) -> ServerSentEvent.builder(indexed.getT2())
				.event((indexed.getT1() == 0) ? "snapshot" : "update")
				.build());
		// An nginx in front (ENTRANCE_SERVER_PROXY_PORT) would otherwise hold the events
		// back until its buffer fills
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("X-Accel-Buffering", "no").body(events);
	}

}
