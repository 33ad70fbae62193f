package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The node has no credential to revoke. Answered with 404 and a Problem Details body.
 */
class UnknownCredentialException extends ErrorResponseException {

	UnknownCredentialException(String id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(String id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No credential was issued to " + id + " on this entrance");
		problem.setTitle("Unknown credential");
		problem.setProperty("id", id);
		return problem;
	}

}
