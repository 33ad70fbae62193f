package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The body of a credential PUT is not {@code {"SECRET": "…"}} with a well-formed secret.
 * Answered with 400 and a Problem Details body saying what is expected.
 */
class InvalidSecretException extends ErrorResponseException {

	InvalidSecretException(String reason) {
		super(HttpStatus.BAD_REQUEST, problem(reason), null);
	}

	private static ProblemDetail problem(String reason) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
		problem.setTitle("Invalid credential secret");
		return problem;
	}

}
