package io.dandelion.entrance.hostile;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import io.dandelion.protocol.WebSocketPaths;

/**
 * One WebSocket connection to the entrance that the test drives frame by frame: frames go
 * out as fast as the test hands them over, replies are queued as they come, so thousands
 * of requests on one {@code dandelion.v2} connection take seconds.
 */
final class HostileConnection implements AutoCloseable {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final Sinks.Many<HostileMessages.Frame> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

	private final AtomicReference<WebSocketSession> session = new AtomicReference<>();

	private final AtomicReference<CloseStatus> closeStatus = new AtomicReference<>();

	private final CountDownLatch opened = new CountDownLatch(1);

	private final CountDownLatch ended = new CountDownLatch(1);

	private final Disposable connection;

	private HostileConnection(int port, boolean persistent) {
		URI uri = URI.create("ws://127.0.0.1:" + port + WebSocketPaths.ENTRANCE_WS);
		ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(
				HttpClient.create(ConnectionProvider.newConnection()),
				() -> WebsocketClientSpec.builder().maxFramePayloadLength(8 * 1024 * 1024));
		WebSocketHandler handler = new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return persistent ? List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL) : List.of();
			}

			@Override
			public Mono<Void> handle(WebSocketSession webSocketSession) {
				HostileConnection.this.session.set(webSocketSession);
				webSocketSession.closeStatus().subscribe(HostileConnection.this.closeStatus::set);
				HostileConnection.this.opened.countDown();
				Mono<Void> receive = webSocketSession.receive()
					.map((message) -> (message.getType() == WebSocketMessage.Type.TEXT) ? message.getPayloadAsText()
							: "<" + message.getType() + ">")
					.doOnNext(HostileConnection.this.replies::add)
					.then();
				Mono<Void> send = webSocketSession.send(HostileConnection.this.outbound.asFlux()
					.map((frame) -> (frame.text() != null) ? webSocketSession.textMessage(frame.text())
							: webSocketSession.binaryMessage((factory) -> factory.wrap(frame.binary()))));
				return receive.and(send);
			}

		};
		this.connection = client.execute(uri, handler)
			.doFinally((signal) -> this.ended.countDown())
			.subscribe((ignored) -> {
			}, (ex) -> this.ended.countDown());
	}

	/**
	 * Opens a connection.
	 * @param port the entrance's port
	 * @param persistent whether to ask for {@code dandelion.v2}
	 * @return the open connection
	 */
	static HostileConnection open(int port, boolean persistent) {
		HostileConnection connection = new HostileConnection(port, persistent);
		try {
			if (!connection.opened.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				connection.close();
				throw new AssertionError("No WebSocket connection to the entrance within " + CONNECT_TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		return connection;
	}

	/**
	 * Sends one frame, after those sent before.
	 * @param frame the frame
	 */
	void send(HostileMessages.Frame frame) {
		this.outbound.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(5)));
	}

	/**
	 * Waits for the next replies.
	 * @param count how many
	 * @param timeout how long to wait for all of them
	 * @return the replies that came in time, in order: fewer than {@code count} when the
	 * rest did not come
	 */
	List<String> replies(int count, Duration timeout) {
		List<String> received = new ArrayList<>(count);
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (received.size() < count) {
				String reply = this.replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (reply == null) {
					break;
				}
				received.add(reply);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return received;
	}

	/**
	 * Waits for the connection to end.
	 * @param timeout how long
	 * @return whether it ended
	 */
	boolean awaitEnd(Duration timeout) {
		try {
			return this.ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Whether the connection has ended (closed by either side, or failed).
	 * @return {@code true} when it has
	 */
	boolean hasEnded() {
		return this.ended.getCount() == 0;
	}

	/**
	 * How the server closed the connection, if it did and the close was seen.
	 * @return the status, or {@code null}
	 */
	CloseStatus closeStatus() {
		return this.closeStatus.get();
	}

	@Override
	public void close() {
		this.outbound.tryEmitComplete();
		WebSocketSession open = this.session.get();
		if (open != null && !hasEnded()) {
			// The server may be closing it at the same time:
			// then there is nothing to close
			open.close().onErrorResume((ex) -> Mono.empty()).block(CONNECT_TIMEOUT);
		}
		if (!awaitEnd(CONNECT_TIMEOUT)) {
			this.connection.dispose();
		}
	}

}
