package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The path names something that cannot be a box ID. Answered with 400 and a Problem
 * Details body saying what a box ID looks like.
 */
class InvalidBoxIdException extends ErrorResponseException {

	InvalidBoxIdException(String reason) {
		super(HttpStatus.BAD_REQUEST, problem(reason), null);
	}

	private static ProblemDetail problem(String reason) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
		problem.setTitle("Invalid box ID");
		return problem;
	}

}
