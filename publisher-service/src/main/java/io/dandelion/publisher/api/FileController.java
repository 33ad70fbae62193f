package io.dandelion.publisher.api;

import java.net.URI;
import java.util.Map;

import io.dandelion.publisher.locate.FileLocator;
import io.dandelion.publisher.locate.ViewerAddress;
import io.dandelion.publisher.publish.PublicNames;
import io.dandelion.support.failure.RedisUnavailable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;

/**
 * The REST API for the caster's web server: queue a local file, upload one, ask where a
 * file is, and send viewers to the best box holding it. A file is named by its public
 * name everywhere: an upload lives at the URL it was PUT to. While Redis is unavailable
 * viewers are still sent to the boxes the publisher knew of, else to the origin; the rest
 * of the API answers 503.
 */
@RestController
class FileController {

	private final FileService service;

	private final FileLocator locator;

	private final ViewerAddress viewers;

	FileController(FileService service, FileLocator locator, ViewerAddress viewers) {
		this.service = service;
		this.locator = locator;
		this.viewers = viewers;
	}

	@PostMapping(path = "/api/v1/files", consumes = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<FileResponse>> push(@RequestBody Mono<QueueRequest> request) {
		return request.onErrorMap(ServerWebInputException.class, QueueRequest::refusal)
			.flatMap(this.service::push)
			.flatMap(this::accepted);
	}

	@PutMapping("/api/v1/files/{*path}")
	Mono<ResponseEntity<FileResponse>> upload(@PathVariable String path,
			@RequestParam(name = "ttl", defaultValue = "60") long ttl, ServerHttpRequest request) {
		Flux<DataBuffer> body = request.getBody();
		return this.service.upload(path, ttl, body).flatMap(this::accepted);
	}

	private Mono<ResponseEntity<FileResponse>> accepted(String name) {
		return this.service.describe(name)
			.map((state) -> ResponseEntity.status(HttpStatus.ACCEPTED).location(location(name)).body(state));
	}

	private static URI location(String name) {
		return URI.create("/api/v1/files" + PublicNames.encode(name));
	}

	@GetMapping("/api/v1/files/{*path}")
	Mono<FileResponse> describe(@PathVariable String path) {
		return this.service.describe(FileService.name(path));
	}

	@GetMapping("/r/{*path}")
	Mono<ResponseEntity<?>> redirect(@PathVariable String path,
			@RequestParam(name = "format", required = false) String format, ServerHttpRequest request) {
		String name = FileService.name(path);
		return this.locator.rank(name, this.viewers.of(request)).map((urls) -> {
			if ("json".equals(format)) {
				return ResponseEntity.ok(Map.of("filePath", name, "urls", urls));
			}
			if (!urls.isEmpty()) {
				return found(urls.get(0));
			}
			return this.locator.origin(name)
				.<ResponseEntity<?>>map(FileController::found)
				.orElseThrow(() -> new NoLiveReplicaException(name));
		})
			// Redis unavailable and the file not known here: the origin copy is better
			// than no answer, else 503 with Retry-After
			.onErrorResume((ex) -> RedisUnavailable.isCause(ex) && !"json".equals(format),
					(ex) -> Mono.justOrEmpty(this.locator.origin(name))
						.<ResponseEntity<?>>map(FileController::found)
						.switchIfEmpty(Mono.error(ex)));
	}

	private static ResponseEntity<?> found(String url) {
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(url)).build();
	}

}
