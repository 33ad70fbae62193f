package io.dandelion.entrance.probe;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import io.dandelion.protocol.store.DataPortProbe;

/**
 * A box's data port as the entrance's probe sees it, on a loopback address of the test's
 * choosing: a real HTTP server that serves the probe object, or, as the test switches it,
 * stops answering (accepts the request and never answers), answers 404 as the original's
 * file server does, or answers 500. Shared with the dashboard's tests.
 */
public final class DataPortServer implements AutoCloseable {

	/** What the server does with the next requests. */
	enum Mode {

		SERVING, SILENT, NOT_FOUND, FAILING

	}

	private static final byte[] CONTENT = DataPortProbe.content();

	private final AtomicInteger requests = new AtomicInteger();

	private final String host;

	private final DisposableServer server;

	private volatile Mode mode = Mode.SERVING;

	public DataPortServer(String host) {
		this.host = host;
		this.server = HttpServer.create()
			.host(host)
			.port(0)
			.route((routes) -> routes.get(DataPortProbe.PATH, (request, response) -> {
				this.requests.incrementAndGet();
				return switch (this.mode) {
					case SERVING -> response.header("Content-Length", Integer.toString(CONTENT.length))
						.sendByteArray(Mono.just(CONTENT))
						.then();
					case SILENT -> Mono.never();
					case NOT_FOUND -> response.status(HttpResponseStatus.NOT_FOUND).send();
					case FAILING -> response.status(HttpResponseStatus.INTERNAL_SERVER_ERROR).send();
				};
			}))
			.bindNow();
	}

	void mode(Mode mode) {
		this.mode = mode;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.server.port();
	}

	/**
	 * How many probes reached the server so far.
	 * @return the count
	 */
	int requests() {
		return this.requests.get();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
