package io.dandelion.support.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUnavailableHandlerTests {

	private final ObjectMapper mapper = Jackson2ObjectMapperBuilder.json().build();

	private final RedisUnavailableHandler handler = new RedisUnavailableHandler(this.mapper);

	@Test
	void shouldAnswer503WithRetryAfterAndProblemDetails() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/dandelion/api/v1/boxes"));
		this.handler.handle(exchange, new QueryTimeoutException("Redis command timed out"))
			.as(StepVerifier::create)
			.verifyComplete();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(exchange.getResponse().getBodyAsString().block())
			.contains("\"status\":503", "\"title\":\"Service Unavailable\"", "\"instance\":\"/dandelion/api/v1/boxes\"")
			.contains("Redis is unavailable");
	}

	@Test
	void shouldLeaveEveryOtherFailureToTheNextHandler() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/r/a.ts"));
		IllegalStateException failure = new IllegalStateException("a bug");
		this.handler.handle(exchange, failure).as(StepVerifier::create).verifyErrorMatches((ex) -> ex == failure);
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void shouldComeBeforeSpringBootsErrorHandler() {
		assertThat(this.handler.getOrder()).isLessThan(-1);
	}

}
