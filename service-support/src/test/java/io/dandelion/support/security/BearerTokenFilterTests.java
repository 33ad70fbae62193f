package io.dandelion.support.security;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BearerTokenFilterTests {

	private static final String TOKEN = "s3cret-token-of-the-caster";

	/**
	 * Counts how often a guarded handler ran, so a refused call is seen to change
	 * nothing.
	 */
	private final int[] handled = new int[1];

	@ParameterizedTest(name = "{0} {1} token={2} mode={3} header={4} -> {5}")
	@MethodSource("calls")
	void shouldLetThroughOnlyWhatItShould(HttpMethod method, String path, String configured, SecurityMode mode,
			String header, int status) {
		// Guards every call but plain GETs, and a GET of /secret, as a list of
		// credentials
		BearerTokenFilter filter = new BearerTokenFilter("TEST_TOKEN", configured, mode,
				(request) -> request.getMethod() != HttpMethod.GET || request.getPath().value().equals("/secret"));
		WebTestClient client = WebTestClient.bindToRouterFunction(routes()).webFilter(filter).build();
		WebTestClient.RequestBodySpec request = client.method(method).uri(path);
		if (header != null) {
			request.header("Authorization", header);
		}
		var result = request.exchange().expectStatus().isEqualTo(status);
		boolean allowed = status == 200;
		assertThat(this.handled[0]).isEqualTo(allowed ? 1 : 0);
		if (!allowed) {
			result.expectHeader()
				.contentType("application/problem+json")
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(status)
				.jsonPath("$.detail")
				.isEqualTo(expectedDetail(configured, header));
		}
		if (status == 401) {
			result.expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"dandelion\"");
		}
	}

	static Stream<Arguments> calls() {
		SecurityMode strict = SecurityMode.STRICT;
		SecurityMode compatible = SecurityMode.COMPATIBLE;
		return Stream.of(arguments(HttpMethod.GET, "/things", TOKEN, strict, null, 200),
				arguments(HttpMethod.GET, "/things", null, strict, null, 200),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "Bearer " + TOKEN, 200),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "bearer " + TOKEN, 200),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, null, 401),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "Bearer", 401),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "Bearer ", 401),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "Basic " + TOKEN, 401),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "Bearer " + TOKEN + "x", 401),
				arguments(HttpMethod.PUT, "/things", TOKEN, strict, "Bearer " + TOKEN.substring(1), 401),
				arguments(HttpMethod.DELETE, "/things", TOKEN, compatible, null, 401),
				arguments(HttpMethod.POST, "/things", TOKEN, compatible, "Bearer " + TOKEN, 200),
				arguments(HttpMethod.POST, "/things", null, strict, null, 403),
				arguments(HttpMethod.POST, "/things", "  ", strict, "Bearer   ", 403),
				arguments(HttpMethod.POST, "/things", null, compatible, null, 200),
				arguments(HttpMethod.GET, "/secret", TOKEN, strict, "Bearer " + TOKEN, 200),
				arguments(HttpMethod.GET, "/secret", TOKEN, strict, null, 401),
				arguments(HttpMethod.GET, "/secret", TOKEN, strict, "Bearer nope", 401),
				arguments(HttpMethod.GET, "/secret", null, strict, null, 403));
	}

	/**
	 * What a refusal says: true of any guarded call, a read included (it once said "This
	 * call changes state" to a refused GET).
	 */
	private static String expectedDetail(String configured, String header) {
		if (configured == null || configured.isBlank()) {
			return "This call needs a token, but TEST_TOKEN is not set, so it is refused (SECURITY_MODE strict)";
		}
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return "This call needs 'Authorization: Bearer' with TEST_TOKEN";
		}
		return "The bearer token is not TEST_TOKEN";
	}

	private RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route().route((request) -> true, (request) -> {
			this.handled[0]++;
			return ServerResponse.ok().bodyValue("done");
		}).build();
	}

}
