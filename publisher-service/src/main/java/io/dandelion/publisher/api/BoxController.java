package io.dandelion.publisher.api;

import java.util.List;

import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.publisher.pool.BoxStatus;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/boxes}: the publisher's pool, best first.
 */
@RestController
class BoxController {

	private final BoxPool pool;

	BoxController(BoxPool pool) {
		this.pool = pool;
	}

	@GetMapping("/api/v1/boxes")
	List<BoxStatus> boxes() {
		return this.pool.snapshot();
	}

}
