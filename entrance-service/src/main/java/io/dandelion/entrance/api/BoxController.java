package io.dandelion.entrance.api;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /dandelion/api/v1/boxes}: the live boxes, best first, and one box by ID.
 */
@RestController
@RequestMapping("/dandelion/api/v1/boxes")
class BoxController {

	private final BoxListingService boxes;

	BoxController(BoxListingService boxes) {
		this.boxes = boxes;
	}

	@GetMapping
	Flux<BoxResponse> list() {
		return this.boxes.live();
	}

	@GetMapping("/{id}")
	Mono<BoxResponse> get(@PathVariable String id) {
		return this.boxes.find(id);
	}

}
