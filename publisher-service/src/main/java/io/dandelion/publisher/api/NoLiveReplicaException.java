package io.dandelion.publisher.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A file is known but no live box holds it and no origin is configured: 503.
 */
class NoLiveReplicaException extends ErrorResponseException {

	NoLiveReplicaException(String filePath) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(filePath), null);
	}

	private static ProblemDetail problem(String filePath) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"No live box holds " + filePath + " and no ORIGIN_BASE_URL is configured");
		problem.setTitle("No live replica");
		return problem;
	}

}
