package io.dandelion.agent.heartbeat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * A small real entrance for tests: a Reactor Netty WebSocket server on a loopback port
 * that answers EXCHANGE as an entrance does and records what it received. It keeps
 * connections open for clients asking for {@code dandelion.v2} when {@code persistent},
 * and otherwise behaves as the original (one reply, then close).
 */
public final class TestEntrance implements AutoCloseable {

	/** How the entrance answers each EXCHANGE. */
	public enum Answer {

		/** {@code MESSAGE: ACCEPTED}. */
		ACCEPT,

		/** An {@code ERROR} reply. */
		ERROR,

		/** An {@code ERROR} reply refusing the box's proof: {@code UNAUTHENTICATED}. */
		UNAUTHENTICATED,

		/**
		 * An {@code ERROR} reply refusing the proof's time, {@code STALE_REQUEST}, its
		 * message differing each time as an entrance's does.
		 */
		STALE_REQUEST,

		/** Close the connection without answering. */
		CLOSE

	}

	/**
	 * One EXCHANGE received.
	 *
	 * @param request the request
	 * @param from the address it came from
	 * @param connection the number of the connection it came on
	 * @param answer how it was answered
	 */
	public record Received(ExchangeRequest request, String from, int connection, Answer answer) {

	}

	private final MessageCodec codec = new MessageCodec();

	private final NodeId id;

	private final boolean persistent;

	private final AtomicInteger connections = new AtomicInteger();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final AtomicReference<List<String>> entranceUrls = new AtomicReference<>(List.of());

	private final List<Connection> open = new CopyOnWriteArrayList<>();

	private volatile Answer answer = Answer.ACCEPT;

	private volatile String yourIp;

	private volatile int port;

	private volatile DisposableServer server;

	private TestEntrance(boolean persistent, NodeId id) {
		this.persistent = persistent;
		this.id = id;
	}

	/**
	 * Starts an entrance on a free loopback port.
	 * @param persistent whether it offers the {@code dandelion.v2} subprotocol
	 * @return the running entrance
	 */
	public static TestEntrance start(boolean persistent) {
		TestEntrance entrance = new TestEntrance(persistent, NodeId.random(Role.ENTRANCE));
		entrance.bind(0);
		return entrance;
	}

	/**
	 * Starts a replica of an entrance on another free loopback port: a second process
	 * with the same ID, as replicas sharing one Redis are.
	 * @param other the entrance
	 * @return the running replica, persistent as the other is
	 */
	static TestEntrance replicaOf(TestEntrance other) {
		TestEntrance entrance = new TestEntrance(other.persistent, other.id);
		entrance.bind(0);
		return entrance;
	}

	private void bind(int port) {
		WebsocketServerSpec spec = this.persistent
				? WebsocketServerSpec.builder().protocols(WebSocketPaths.PERSISTENT_SUBPROTOCOL).build()
				: WebsocketServerSpec.builder().build();
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route((routes) -> routes.ws(WebSocketPaths.ENTRANCE_WS, (in, out) -> {
				int connection = this.connections.incrementAndGet();
				AtomicReference<String> from = new AtomicReference<>("unknown");
				in.withConnection((c) -> {
					this.open.add(c);
					c.onDispose(() -> this.open.remove(c));
					from.set(((InetSocketAddress) c.channel().remoteAddress()).getAddress().getHostAddress());
				});
				boolean keep = WebSocketPaths.PERSISTENT_SUBPROTOCOL.equals(in.selectedSubprotocol());
				Flux<String> replies = in.receive()
					.asString()
					.take(keep ? Long.MAX_VALUE : 1)
					.concatMap((text) -> reply(text, from.get(), connection))
					.takeWhile((reply) -> !reply.isEmpty());
				return out.sendString(replies).then();
			}, spec))
			.bindNow(Duration.ofSeconds(10));
		this.port = this.server.port();
	}

	private Mono<String> reply(String text, String from, int connection) {
		Answer now = this.answer;
		Message message = this.codec.decode(text);
		if (message instanceof ExchangeRequest request) {
			this.received.add(new Received(request, from, connection, now));
		}
		return switch (now) {
			case ACCEPT -> Mono.just(this.codec.encode(new ExchangeReply(this.id.value(), "127.0.0.1", this.port,
					this.entranceUrls.get(), "ACCEPTED", (this.yourIp != null) ? this.yourIp : from)));
			case ERROR -> Mono.just(this.codec.encode(new ErrorReply(this.id.value(), "127.0.0.1", this.port,
					"ENTRANCE", "Wrong format in your message: test", "BAD_VALUE", this.entranceUrls.get())));
			case UNAUTHENTICATED -> Mono.just(this.codec.encode(new ErrorReply(this.id.value(), "127.0.0.1", this.port,
					"ENTRANCE", "AUTH_SIGNATURE does not match the credential on record", "UNAUTHENTICATED", null)));
			case STALE_REQUEST -> Mono.just(this.codec.encode(new ErrorReply(this.id.value(), "127.0.0.1", this.port,
					"ENTRANCE", "AUTH_TIME is " + this.received.size() + " ms away from this node's clock",
					"STALE_REQUEST", null)));
			case CLOSE -> Mono.just("");
		};
	}

	/** Stops listening and drops every connection. */
	void stop() {
		this.server.disposeNow(Duration.ofSeconds(10));
		// A stopped server keeps its open connections: cut them as a crash would
		this.open.forEach(Connection::dispose);
	}

	/** Listens again on the same port. */
	void restart() {
		bind(this.port);
	}

	@Override
	public void close() {
		if (!this.server.isDisposed()) {
			stop();
		}
	}

	/**
	 * The entrance's WebSocket URL, as {@code ENTRANCE_URLS} lists it.
	 * @return the URL
	 */
	public String url() {
		return "http://127.0.0.1:" + this.port + WebSocketPaths.ENTRANCE_WS;
	}

	int port() {
		return this.port;
	}

	String id() {
		return this.id.value();
	}

	int connections() {
		return this.connections.get();
	}

	/**
	 * Every EXCHANGE received so far, with how it was answered.
	 * @return the requests, oldest first
	 */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	/**
	 * How to answer from now on.
	 * @param answer the answer
	 */
	public void answer(Answer answer) {
		this.answer = answer;
	}

	void yourIp(String ip) {
		this.yourIp = ip;
	}

	void entranceUrls(List<String> urls) {
		this.entranceUrls.set(List.copyOf(urls));
	}

}
