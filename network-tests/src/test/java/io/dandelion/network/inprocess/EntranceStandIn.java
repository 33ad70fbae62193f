package io.dandelion.network.inprocess;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import io.dandelion.protocol.WebSocketPaths;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An entrance that answers every SEARCH with what the test tells it, and keeps every
 * message it received as sent, so that a test sees exactly what a publisher put on the
 * wire (its proof above all).
 */
final class EntranceStandIn implements AutoCloseable {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final DisposableServer server;

	private volatile Function<String, String> reply;

	/**
	 * Starts the entrance on 127.0.0.1.
	 * @param reply the text of its answer to each message, asked anew for each
	 */
	EntranceStandIn(Supplier<String> reply) {
		this((message) -> reply.get());
	}

	/**
	 * Starts the entrance on 127.0.0.1.
	 * @param reply the text of its answer to a message, given the message
	 */
	EntranceStandIn(Function<String, String> reply) {
		this.reply = reply;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.ws(WebSocketPaths.ENTRANCE_WS,
					(in, out) -> out.sendString(in.receive()
						.asString()
						.doOnNext(this.received::add)
						.concatMap((message) -> Flux.just(this.reply.apply(message))))))
			.bindNow();
	}

	/**
	 * Changes the answer from now on.
	 * @param reply the text of its answer to each message
	 */
	void answer(Supplier<String> reply) {
		this.reply = (message) -> reply.get();
	}

	/**
	 * The entrance's WebSocket URL.
	 * @return the URL
	 */
	String url() {
		return "ws://127.0.0.1:" + this.server.port() + WebSocketPaths.ENTRANCE_WS;
	}

	/**
	 * The messages received so far, in order.
	 * @return their texts
	 */
	List<String> received() {
		return List.copyOf(this.received);
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
