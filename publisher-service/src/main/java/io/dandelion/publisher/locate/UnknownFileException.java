package io.dandelion.publisher.locate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The publisher knows nothing of a file (never queued, or expired): 404.
 */
public class UnknownFileException extends ErrorResponseException {

	public UnknownFileException(String filePath) {
		super(HttpStatus.NOT_FOUND, problem(filePath), null);
	}

	private static ProblemDetail problem(String filePath) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No file " + filePath + " is queued, stored or failed");
		problem.setTitle("Unknown file");
		return problem;
	}

}
