package io.dandelion.agent.greeting;

import io.dandelion.protocol.identity.NodeId;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The original's liveness page: {@code GET /dandelion/{box-id}/} answers {@code HI
 * {box-id}}; another ID is not found, since every path of a box starts with its own ID.
 */
@RestController
class GreetingController {

	private final NodeId nodeId;

	GreetingController(NodeId nodeId) {
		this.nodeId = nodeId;
	}

	@GetMapping(path = "/dandelion/{boxId}/", produces = MediaType.TEXT_PLAIN_VALUE)
	String greet(@PathVariable String boxId) {
		if (!this.nodeId.value().equals(boxId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "This is not box " + boxId);
		}
		return "HI " + this.nodeId;
	}

}
