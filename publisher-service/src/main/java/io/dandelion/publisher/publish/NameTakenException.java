package io.dandelion.publisher.publish;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A file would take a public name that another local file holds (two allowed roots, or an
 * upload and a root, with the same relative path): 409. Names are first come, first
 * served; the name is free again once the other file expired or failed.
 */
public class NameTakenException extends ErrorResponseException {

	public NameTakenException(String name) {
		super(HttpStatus.CONFLICT, problem(name), null);
	}

	private static ProblemDetail problem(String name) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The name " + name + " belongs to another file until that file expires");
		problem.setTitle("Name taken");
		return problem;
	}

}
