package io.dandelion.support.redis;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import io.dandelion.support.failure.RedisUnavailable;
import io.dandelion.support.limits.WarningThrottle;

/**
 * The one place where an HTTP request that failed because Redis is unavailable
 * ({@link RedisUnavailable}) is answered: {@code 503 Service Unavailable} with
 * {@code Retry-After} and a Problem Details body, whichever controller it reached. Runs
 * before Spring Boot's error handler, which would answer 500; every other failure goes on
 * to it.
 */
public final class RedisUnavailableHandler implements WebExceptionHandler, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(RedisUnavailableHandler.class);

	/**
	 * What {@code Retry-After} says: Lettuce tries to reconnect at least every
	 * {@link RedisOutageAutoConfiguration#RECONNECT_DELAY_MAX}, so a client asking again
	 * after this finds Redis back if it is.
	 */
	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	/** Before Spring Boot's {@code DefaultErrorWebExceptionHandler} (-1). */
	static final int ORDER = -2;

	private final ObjectMapper mapper;

	// Per request it would flood the log for as long as Redis is away
	private final WarningThrottle<String> warnings = new WarningThrottle<>(Duration.ofMinutes(1));

	/**
	 * A handler writing its bodies with the application's JSON mapper.
	 * @param mapper the mapper, which knows how to write a {@link ProblemDetail}
	 */
	public RedisUnavailableHandler(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (!RedisUnavailable.isCause(failure) || response.isCommitted()) {
			return Mono.error(failure);
		}
		if (this.warnings.isDue("redis")) {
			logger.warn("Answering 503 while Redis is unavailable (said once a minute): {} {}: {}",
					exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure.toString());
		}
		else {
			logger.debug("Answering 503 while Redis is unavailable: {} {}: {}", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath(), failure.toString());
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The service's Redis is unavailable; try again in " + RETRY_AFTER.toSeconds() + " seconds");
		try {
			problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		}
		catch (IllegalArgumentException ex) {
			// A path that is no URI reference (raw characters) goes without an instance
		}
		byte[] body;
		try {
			body = this.mapper.writeValueAsBytes(problem);
		}
		catch (JsonProcessingException ex) {
			return Mono.error(failure);
		}
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(body.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
