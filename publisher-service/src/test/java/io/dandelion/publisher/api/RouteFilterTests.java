package io.dandelion.publisher.api;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route filter answers what its route takes without passing the request on, and
 * passes on everything else: other paths, and paths under its prefix the route refuses.
 */
class RouteFilterTests {

	private final RouteFilter filter = new RouteFilter("/r/",
			RouterFunctions.route(RequestPredicates.GET("/r/{*path}"),
					(request) -> ServerResponse.status(HttpStatus.FOUND)
						.header(HttpHeaders.LOCATION, "http://box.test" + request.pathVariable("path"))
						.build()),
			ServerCodecConfigurer.create());

	private final List<String> passedOn = new ArrayList<>();

	private final WebFilterChain chain = (exchange) -> {
		this.passedOn.add(exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath());
		exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
		return Mono.empty();
	};

	@Test
	void shouldAnswerWhatTheRouteTakesWithoutPassingItOn() {
		ServerWebExchange exchange = filtered(MockServerHttpRequest.get("/r/live/a.ts"));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FOUND);
		assertThat(exchange.getResponse().getHeaders().getLocation()).hasToString("http://box.test/live/a.ts");
		assertThat(this.passedOn).isEmpty();
	}

	@Test
	void shouldPassOnWhatTheRouteDoesNotTake() {
		assertThat(filtered(MockServerHttpRequest.post("/r/live/a.ts")).getResponse().getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(filtered(MockServerHttpRequest.get("/api/v1/files")).getResponse().getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(filtered(MockServerHttpRequest.get("/rx/live/a.ts")).getResponse().getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.passedOn).containsExactly("POST /r/live/a.ts", "GET /api/v1/files", "GET /rx/live/a.ts");
	}

	private ServerWebExchange filtered(MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		this.filter.filter(exchange, this.chain).block();
		return exchange;
	}

}
