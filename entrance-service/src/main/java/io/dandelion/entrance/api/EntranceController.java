package io.dandelion.entrance.api;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.dandelion.entrance.federation.EntranceDirectory;

/**
 * {@code /dandelion/api/v1/entrances}: this entrance and the others it hands out to boxes
 * and publishers; others are added with PUT and removed with DELETE.
 */
@RestController
@RequestMapping("/dandelion/api/v1/entrances")
class EntranceController {

	private final EntranceDirectory directory;

	EntranceController(EntranceDirectory directory) {
		this.directory = directory;
	}

	@GetMapping
	Mono<EntrancesResponse> list() {
		return this.directory.list()
			.map(EntrancesResponse.Other::of)
			.collectList()
			.map((others) -> new EntrancesResponse(EntrancesResponse.Self.of(this.directory.ownInfo()), others));
	}

	@PutMapping
	Mono<ResponseEntity<EntrancesResponse.Other>> add(@RequestBody EntranceUrlRequest request) {
		String url = request.url();
		return this.directory.add(url)
			.onErrorMap(IllegalArgumentException.class, (ex) -> new InvalidEntranceUrlException(ex.getMessage()))
			.flatMap((added) -> this.directory.list()
				.filter((status) -> status.url().equals(url))
				.next()
				.map((status) -> ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK)
					.body(EntrancesResponse.Other.of(status))));
	}

	@DeleteMapping
	Mono<ResponseEntity<Void>> remove(@RequestParam String url) {
		return this.directory.remove(url)
			.flatMap((removed) -> removed ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(new UnknownEntranceException(url)));
	}

}
