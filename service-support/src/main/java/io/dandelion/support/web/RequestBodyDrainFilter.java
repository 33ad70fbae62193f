package io.dandelion.support.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Answers a request whose body nobody read (a refused upload, a bad name) only once the
 * body has arrived, or else closes the connection after the answer. HTTP/1.1 lets a
 * server keep a connection only when it reads the whole request (RFC 9112, section 9.3);
 * and an answer that goes out while the body still arrives is a case Reactor Netty 1.2's
 * keep-alive queue handles badly: a request that arrives before the previous one ended
 * can be left unread (reactor-netty issue 4347, fixed after 1.2.18, the newest 1.2 here).
 * A body up to {@link #MAX_DRAINED_BYTES} is read and dropped; a longer one is not worth
 * receiving, so its answer says {@code Connection: close}, as does the answer to a body
 * that does not arrive within the drain timeout. A handler that read part of the body and
 * stopped (an upload over its limit) is left to Reactor Netty, which drops the rest as it
 * arrives.
 */
public final class RequestBodyDrainFilter implements WebFilter, Ordered {

	/** The longest unread body received to keep the connection, 1 MiB. */
	public static final long MAX_DRAINED_BYTES = 1024 * 1024;

	/** How long a body is waited for by default before the connection is given up. */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

	private final Duration drainTimeout;

	/** A filter waiting at most {@link #DEFAULT_DRAIN_TIMEOUT} for a body. */
	public RequestBodyDrainFilter() {
		this(DEFAULT_DRAIN_TIMEOUT);
	}

	/**
	 * A filter waiting at most the given time for a body: a client that announced a body
	 * and sends it slowly, or not at all, gets its answer then, and the connection
	 * closed.
	 * @param drainTimeout the longest wait
	 */
	public RequestBodyDrainFilter(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		long length = headers.getContentLength();
		boolean chunked = headers.containsKey(HttpHeaders.TRANSFER_ENCODING);
		if (length <= 0 && !chunked) {
			return chain.filter(exchange);
		}
		AtomicBoolean read = new AtomicBoolean();
		ServerHttpRequest watched = new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody().doOnSubscribe((subscription) -> read.set(true));
			}
		};
		HttpHeaders answer = exchange.getResponse().getHeaders();
		exchange.getResponse().beforeCommit(() -> {
			if (read.get()) {
				return Mono.empty();
			}
			Object connection = ServerHttpRequestDecorator.getNativeRequest(request);
			if (chunked || length > MAX_DRAINED_BYTES || !(connection instanceof HttpServerRequest netty)) {
				answer.set(HttpHeaders.CONNECTION, "close");
				return Mono.empty();
			}
			// Received where Reactor Netty releases what arrives; Spring's body Flux
			// would hand out retained buffers to release here
			return netty.receive()
				.then()
				.timeout(this.drainTimeout, Mono.fromRunnable(() -> answer.set(HttpHeaders.CONNECTION, "close")));
		});
		return chain.filter(exchange.mutate().request(watched).build());
	}

}
