package io.dandelion.entrance.federation;

import java.util.concurrent.atomic.AtomicBoolean;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpStatus;

/**
 * Another entrance, as far as the federation check can tell: a tiny HTTP server on a
 * random loopback port whose {@code GET /dandelion/} answers {@code HI entrance-…} while
 * it is {@link #answer(boolean) answering}, and 503 otherwise.
 */
final class GreetingServer implements AutoCloseable {

	private final NodeId id = NodeId.random(Role.ENTRANCE);

	private final AtomicBoolean answering = new AtomicBoolean(true);

	private final DisposableServer server;

	GreetingServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/dandelion/",
					(request, response) -> this.answering.get() ? response.sendString(Mono.just("HI " + this.id))
							: response.status(HttpStatus.SERVICE_UNAVAILABLE.value()).send()))
			.bindNow();
	}

	/**
	 * The WebSocket URL another entrance would be known by.
	 * @return {@code http://127.0.0.1:PORT/dandelion/ws/}
	 */
	String url() {
		return "http://127.0.0.1:" + this.server.port() + "/dandelion/ws/";
	}

	/**
	 * Makes the greeting page answer, or fail.
	 * @param answer whether it answers
	 */
	void answer(boolean answer) {
		this.answering.set(answer);
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
