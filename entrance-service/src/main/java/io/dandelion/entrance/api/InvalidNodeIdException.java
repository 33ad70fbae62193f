package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The path names something that cannot have a credential: not a box or publisher ID.
 * Answered with 400 and a Problem Details body saying what is expected.
 */
class InvalidNodeIdException extends ErrorResponseException {

	InvalidNodeIdException(String reason) {
		super(HttpStatus.BAD_REQUEST, problem(reason), null);
	}

	private static ProblemDetail problem(String reason) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
		problem.setTitle("Invalid node ID");
		return problem;
	}

}
