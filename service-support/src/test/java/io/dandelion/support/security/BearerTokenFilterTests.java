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
		BearerTokenFilter filter = new BearerTokenFilter("TEST_TOKEN", configured, mode,
				(request) -> request.getMethod() != HttpMethod.GET);
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
				.value((detail) -> assertThat((String) detail).contains("TEST_TOKEN"));
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
				arguments(HttpMethod.POST, "/things", null, compatible, null, 200));
	}

	private RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route().route((request) -> true, (request) -> {
			this.handled[0]++;
			return ServerResponse.ok().bodyValue("done");
		}).build();
	}

}
