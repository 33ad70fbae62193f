package io.dandelion.entrance.api;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /dandelion/api/v1/credentials}: the credentials this entrance issued to boxes
 * and publishers. PUT issues one (a fresh secret, or the one given, to import a
 * credential another entrance issued), GET lists the IDs that have one (never a secret),
 * DELETE revokes one. All need the admin token.
 */
@RestController
@RequestMapping("/dandelion/api/v1/credentials")
class CredentialController {

	private final CredentialService credentials;

	CredentialController(CredentialService credentials) {
		this.credentials = credentials;
	}

	@PutMapping("/{id}")
	Mono<ResponseEntity<CredentialResponse>> issue(@PathVariable String id,
			@RequestBody(required = false) CredentialRequest body) {
		return this.credentials.issue(id, body)
			.map((credential) -> ResponseEntity.status(HttpStatus.CREATED).body(CredentialResponse.of(credential)));
	}

	@GetMapping
	Flux<CredentialResponse.Holder> list() {
		return this.credentials.ids().map(CredentialResponse.Holder::new);
	}

	@DeleteMapping("/{id}")
	Mono<ResponseEntity<Void>> revoke(@PathVariable String id) {
		return this.credentials.revoke(id).thenReturn(ResponseEntity.noContent().build());
	}

}
