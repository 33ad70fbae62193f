package io.dandelion.publisher.live;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A live path with an unsafe name ({@code ..}, an encoded separator, a back-slash, ...):
 * answered with 400 and a problem detail, and never looked up.
 */
class InvalidLivePathException extends ErrorResponseException {

	InvalidLivePathException() {
		super(HttpStatus.BAD_REQUEST,
				ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Not a valid path of a live stream"), null);
	}

}
