package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A URL that cannot be another entrance's WebSocket URL (or is this entrance's own).
 * Answered with 400 and a Problem Details body saying what is expected.
 */
class InvalidEntranceUrlException extends ErrorResponseException {

	InvalidEntranceUrlException(String reason) {
		super(HttpStatus.BAD_REQUEST, problem(reason), null);
	}

	private static ProblemDetail problem(String reason) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
		problem.setTitle("Invalid entrance URL");
		return problem;
	}

}
