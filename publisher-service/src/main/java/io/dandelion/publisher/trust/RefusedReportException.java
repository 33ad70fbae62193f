package io.dandelion.publisher.trust;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A report the publisher will not check: malformed or not about a copy on one of its
 * boxes (400), about a copy it does not know of (404), or one too many (429). Nothing was
 * fetched for it.
 */
final class RefusedReportException extends ErrorResponseException {

	private RefusedReportException(HttpStatus status, String title, String detail) {
		super(status, problem(status, title, detail), null);
	}

	static RefusedReportException invalid(String detail) {
		return new RefusedReportException(HttpStatus.BAD_REQUEST, "Invalid report", detail);
	}

	static RefusedReportException unknownCopy(String detail) {
		return new RefusedReportException(HttpStatus.NOT_FOUND, "Unknown copy", detail);
	}

	static RefusedReportException tooMany(String detail) {
		return new RefusedReportException(HttpStatus.TOO_MANY_REQUESTS, "Too many reports", detail);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
