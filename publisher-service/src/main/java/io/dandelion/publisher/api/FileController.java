package io.dandelion.publisher.api;

import java.net.URI;

import io.dandelion.publisher.publish.PublicNames;
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
 * file is. A file is named by its public name everywhere: an upload lives at the URL it
 * was PUT to. Viewers are sent to the boxes by {@link RedirectHandler}. While Redis is
 * unavailable the API answers 503.
 */
@RestController
class FileController {

	private final FileService service;

	FileController(FileService service) {
		this.service = service;
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

}
