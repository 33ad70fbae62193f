package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No live box has the ID asked for: it never heartbeated here, or it expired. Answered
 * with 404 and a Problem Details body.
 */
class UnknownBoxException extends ErrorResponseException {

	UnknownBoxException(String boxId) {
		super(HttpStatus.NOT_FOUND, problem(boxId), null);
	}

	private static ProblemDetail problem(String boxId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No live box " + boxId + " (never seen by this entrance, or expired)");
		problem.setTitle("Unknown box");
		problem.setProperty("boxId", boxId);
		return problem;
	}

}
