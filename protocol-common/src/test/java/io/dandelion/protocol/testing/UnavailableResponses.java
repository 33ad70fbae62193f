package io.dandelion.protocol.testing;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every service answers an HTTP request with while its Redis is unavailable: 503
 * with {@code Retry-After} and a problem body (service-support's
 * {@code RedisUnavailableHandler}).
 */
public final class UnavailableResponses {

	private UnavailableResponses() {
	}

	/**
	 * Asserts that a response is that answer.
	 * @param response the response
	 */
	public static void assertUnavailable(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503);
	}

}
