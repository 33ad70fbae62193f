package io.dandelion.entrance;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.WebSocketPaths;

/**
 * A real WebSocket client for the entrance's tests: sends text messages on one connection
 * and collects the replies and how the connection was closed.
 */
public final class EntranceTestClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final URI uri;

	private final ReactorNettyWebSocketClient client;

	/**
	 * A client for the entrance listening on the given port, connecting from the given
	 * loopback address.
	 * @param port the entrance's port
	 * @param sourceAddress the address to connect from, e.g. {@code 127.0.2.10}, or null
	 * for any
	 */
	public EntranceTestClient(int port, String sourceAddress) {
		this.uri = URI.create("ws://127.0.0.1:" + port + WebSocketPaths.ENTRANCE_WS);
		// Unpooled: a WebSocket connection is never reused,
		// and a pool would only hold on to closed ones.
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
		if (sourceAddress != null) {
			http = http.bindAddress(() -> new InetSocketAddress(sourceAddress, 0));
		}
		// Replies as large as a publisher reads (SEARCH replies up to 1 MiB chars, up to
		// 4 bytes each), not Reactor Netty's default 64 KiB
		this.client = new ReactorNettyWebSocketClient(http,
				() -> WebsocketClientSpec.builder().maxFramePayloadLength(4 * MessageCodec.DEFAULT_MAX_MESSAGE_CHARS));
	}

	/**
	 * Sends one message as the original's boxes and publishers did, on a connection of
	 * its own.
	 * @param text the message
	 * @return the one reply
	 */
	public String request(String text) {
		Conversation conversation = send(false, 1, text);
		if (conversation.replies().isEmpty()) {
			throw new AssertionError("No reply to " + text, conversation.error());
		}
		return conversation.replies().get(0);
	}

	/**
	 * Sends the messages in order and collects up to {@code expectedReplies} replies.
	 * @param persistent whether to ask for the persistent subprotocol
	 * @param expectedReplies how many replies to wait for at most
	 * @param messages the text messages
	 * @return the replies and the close status
	 */
	public Conversation send(boolean persistent, int expectedReplies, String... messages) {
		return sendAsync(persistent, expectedReplies, messages).block(TIMEOUT.plusSeconds(5));
	}

	/**
	 * Like {@link #send}, without waiting.
	 * @param persistent whether to ask for the persistent subprotocol
	 * @param expectedReplies how many replies to wait for at most
	 * @param messages the text messages
	 * @return the conversation, when it ends
	 */
	public Mono<Conversation> sendAsync(boolean persistent, int expectedReplies, String... messages) {
		List<String> replies = new CopyOnWriteArrayList<>();
		AtomicReference<CloseStatus> closed = new AtomicReference<>();
		WebSocketHandler handler = new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return persistent ? List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL) : List.of();
			}

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				Mono<Void> receive = session.receive()
					.map(WebSocketMessage::getPayloadAsText)
					.doOnNext(replies::add)
					.take(expectedReplies)
					.then();
				// One message per reply, so that a persistent
				// connection is used as boxes use it.
				Mono<Void> send = session.send(Flux.fromArray(messages).map(session::textMessage));
				session.closeStatus().subscribe(closed::set);
				return send.and(receive).then(session.close());
			}

		};
		return this.client.execute(this.uri, handler)
			.timeout(TIMEOUT)
			.then(Mono.fromSupplier(() -> new Conversation(List.copyOf(replies), closed.get(), null)))
			.onErrorResume((ex) -> !(ex instanceof TimeoutException),
					(ex) -> Mono.just(new Conversation(List.copyOf(replies), closed.get(), ex)));
	}

	/**
	 * What came back on one connection.
	 *
	 * @param replies the text replies, in order
	 * @param closeStatus how the connection was closed, if the close was seen
	 * @param error how the connection failed, if it did (e.g. the server closed it while
	 * the client was sending)
	 */
	public record Conversation(List<String> replies, CloseStatus closeStatus, Throwable error) {

	}

}
