package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The node already has a credential; it is kept. Answered with 409 and a Problem Details
 * body saying how to rotate it.
 */
class CredentialExistsException extends ErrorResponseException {

	CredentialExistsException(String id) {
		super(HttpStatus.CONFLICT, problem(id), null);
	}

	private static ProblemDetail problem(String id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				id + " already has a credential; to replace it, DELETE it first, then PUT again");
		problem.setTitle("Credential exists");
		problem.setProperty("id", id);
		return problem;
	}

}
