package io.dandelion.publisher.api;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import io.dandelion.publisher.locate.FileLocator;
import io.dandelion.publisher.locate.ViewerAddress;
import io.dandelion.support.failure.RedisUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /r/{name}}: sends a viewer to the best live box holding a file (302), else
 * to the origin copy; {@code ?format=json} lists the URLs of every live replica instead.
 * While Redis is unavailable viewers are still sent to the boxes the publisher knows of,
 * else to the origin. Every segment a viewer fetches in {@code LIVE_SEGMENT_URLS:
 * redirect} mode is one such request, so it is the publisher's hottest path: a functional
 * route answered from memory ({@link FileLocator}), counted by outcome in
 * {@code dandelion.publisher.redirects} instead of timed in {@code http.server.requests}
 * ({@link RedirectRoute}).
 */
@Component
class RedirectHandler {

	/** The name of the counter of redirects by {@code outcome}. */
	static final String REDIRECTS = "dandelion.publisher.redirects";

	private final FileLocator locator;

	private final ViewerAddress viewers;

	private final Counter toBox;

	private final Counter toOrigin;

	private final Counter listed;

	private final Counter failed;

	RedirectHandler(FileLocator locator, ViewerAddress viewers, MeterRegistry meters) {
		this.locator = locator;
		this.viewers = viewers;
		this.toBox = counter(meters, "box", "302 to a live box holding the file");
		this.toOrigin = counter(meters, "origin", "302 to the origin: no live box holds the file");
		this.listed = counter(meters, "listed", "the live replicas' URLs, for ?format=json");
		this.failed = counter(meters, "error", "an error answer: bad name, unknown file, nowhere to send the viewer");
	}

	private static Counter counter(MeterRegistry meters, String outcome, String description) {
		return Counter.builder(REDIRECTS)
			.tag("outcome", outcome)
			.description("Redirect requests (GET /r/...) by outcome; " + outcome + ": " + description)
			.register(meters);
	}

	Mono<ServerResponse> redirect(ServerRequest request) {
		boolean json = request.queryParam("format").filter("json"::equals).isPresent();
		String name;
		try {
			name = FileService.name(request.pathVariable("path"));
		}
		catch (InvalidFileException ex) {
			return problem(ex, request);
		}
		Optional<String> viewer = this.viewers.of(request.exchange().getRequest());
		Mono<ServerResponse> answer;
		if (json) {
			answer = this.locator.rank(name, viewer).flatMap((urls) -> {
				this.listed.increment();
				return ServerResponse.ok()
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Map.of("filePath", name, "urls", urls));
			});
		}
		else {
			answer = this.locator.best(name, viewer).flatMap((url) -> {
				if (url.isPresent()) {
					this.toBox.increment();
					return found(url.get());
				}
				return toOrigin(name, new NoLiveReplicaException(name));
			});
		}
		return answer
			// Redis unavailable and the file not known here: the origin copy is better
			// than no answer, else 503 with Retry-After (RedisUnavailableHandler)
			.onErrorResume((ex) -> RedisUnavailable.isCause(ex) && !json, (ex) -> toOrigin(name, ex))
			.onErrorResume(ErrorResponseException.class, (ex) -> problem(ex, request))
			.doOnError((ex) -> this.failed.increment());
	}

	private Mono<ServerResponse> toOrigin(String name, Throwable otherwise) {
		return this.locator.origin(name).map((url) -> {
			this.toOrigin.increment();
			return found(url);
		}).orElseGet(() -> Mono.error(otherwise));
	}

	private static Mono<ServerResponse> found(String url) {
		// As a string: the URL was built encoded, parsing it into a URI would only cost
		return ServerResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, url).build();
	}

	/** The Problem Details body the annotated controllers answer with, the same here. */
	private Mono<ServerResponse> problem(ErrorResponseException ex, ServerRequest request) {
		this.failed.increment();
		ProblemDetail body = ex.getBody();
		if (body.getInstance() == null) {
			body.setInstance(URI.create(request.exchange().getRequest().getPath().value()));
		}
		return ServerResponse.status(ex.getStatusCode())
			.headers((headers) -> headers.addAll(ex.getHeaders()))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(body);
	}

}
