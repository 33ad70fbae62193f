package io.dandelion.publisher.live;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A live playlist or segment that no watch directory holds (an unknown or ended stream):
 * answered with 404 and a problem detail.
 */
class LiveFileNotFoundException extends ErrorResponseException {

	LiveFileNotFoundException(String path) {
		super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No live file " + path),
				null);
	}

}
