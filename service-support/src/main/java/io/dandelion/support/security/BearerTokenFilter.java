package io.dandelion.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Guards a service's REST calls (those that change state, and any read its predicate
 * picks) with a bearer token ({@code Authorization: Bearer TOKEN}): a call without the
 * right token gets 401 and a problem body, and nothing behind the filter runs. Without a
 * configured token the calls are refused (403) in strict mode and let through in
 * compatible mode.
 */
public final class BearerTokenFilter implements WebFilter {

	private static final String BEARER = "Bearer ";

	private final String settingName;

	private final byte[] token;

	private final SecurityMode mode;

	private final Predicate<ServerHttpRequest> guarded;

	/**
	 * A filter for the requests the predicate picks.
	 * @param settingName the configuration key of the token, named in refusals
	 * @param token the token, {@code null} or blank when none is configured
	 * @param mode the node's security mode
	 * @param guarded which requests need the token
	 */
	public BearerTokenFilter(String settingName, String token, SecurityMode mode,
			Predicate<ServerHttpRequest> guarded) {
		this.settingName = Objects.requireNonNull(settingName, "settingName");
		this.token = (token == null || token.isBlank()) ? null : token.getBytes(StandardCharsets.UTF_8);
		this.mode = Objects.requireNonNull(mode, "mode");
		this.guarded = Objects.requireNonNull(guarded, "guarded");
	}

	/**
	 * Whether a token is configured.
	 * @return {@code true} when calls are checked against a token
	 */
	public boolean hasToken() {
		return this.token != null;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.guarded.test(request)) {
			return chain.filter(exchange);
		}
		if (this.token == null) {
			if (this.mode.acceptsUnauthenticated()) {
				return chain.filter(exchange);
			}
			return refuse(exchange.getResponse(), HttpStatus.FORBIDDEN, "This call needs a token, but "
					+ this.settingName + " is not set, so it is refused (SECURITY_MODE strict)");
		}
		String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return refuse(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
					"This call needs 'Authorization: Bearer' with " + this.settingName);
		}
		byte[] presented = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
		if (!MessageDigest.isEqual(this.token, presented)) {
			return refuse(exchange.getResponse(), HttpStatus.UNAUTHORIZED,
					"The bearer token is not " + this.settingName);
		}
		return chain.filter(exchange);
	}

	private static Mono<Void> refuse(ServerHttpResponse response, HttpStatus status, String detail) {
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dandelion\"");
		}
		// The detail is this class's own text: no quotes or back-slashes to escape
		String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + detail + "\"}";
		DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(buffer));
	}

}
