package io.dandelion.entrance.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The URL asked to be removed is not among the other entrances. Answered with 404 and a
 * Problem Details body.
 */
class UnknownEntranceException extends ErrorResponseException {

	UnknownEntranceException(String url) {
		super(HttpStatus.NOT_FOUND, problem(url), null);
	}

	private static ProblemDetail problem(String url) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No other entrance has the URL " + url);
		problem.setTitle("Unknown entrance");
		problem.setProperty("url", url);
		return problem;
	}

}
