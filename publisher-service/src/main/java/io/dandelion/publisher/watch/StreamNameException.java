package io.dandelion.publisher.watch;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A {@code /watch/{stream}} request whose stream name cannot be one: answered 404 with
 * Problem Details, as there is no such page.
 */
class StreamNameException extends ErrorResponseException {

	StreamNameException(String value) {
		super(HttpStatus.NOT_FOUND, problem(value), null);
	}

	private static ProblemDetail problem(String value) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"Not a stream name (1 to " + StreamName.MAX_LENGTH + " letters, digits, '-' or '_'): " + quote(value));
		problem.setTitle("No such stream");
		return problem;
	}

	// Problem Details are JSON, escaped by Jackson; this only keeps the detail short.
	private static String quote(String value) {
		if (value == null) {
			return "none";
		}
		String shown = (value.length() > 80) ? value.substring(0, 80) + "…" : value;
		return "\"" + shown + "\"";
	}

}
