package io.dandelion.entrance.greeting;

import io.dandelion.protocol.identity.NodeId;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The original's liveness page: {@code GET /dandelion/} answers {@code HI {entrance-id}}.
 */
@RestController
class GreetingController {

	private final NodeId nodeId;

	GreetingController(NodeId nodeId) {
		this.nodeId = nodeId;
	}

	@GetMapping(path = "/dandelion/", produces = MediaType.TEXT_PLAIN_VALUE)
	String greet() {
		return "HI " + this.nodeId;
	}

}
