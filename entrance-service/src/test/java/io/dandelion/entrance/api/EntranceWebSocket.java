package io.dandelion.entrance.api;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import io.dandelion.protocol.WebSocketPaths;

/**
 * A one-request client of the entrance's WebSocket, as the original's boxes and
 * publishers are: send one text message, read the one reply.
 */
final class EntranceWebSocket {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private EntranceWebSocket() {
	}

	/**
	 * Sends one message and waits for the reply.
	 * @param port the entrance's port
	 * @param text the message
	 * @return the reply's text
	 */
	static String send(int port, String text) {
		URI uri = URI.create("ws://127.0.0.1:" + port + WebSocketPaths.ENTRANCE_WS);
		AtomicReference<String> reply = new AtomicReference<>();
		new ReactorNettyWebSocketClient().execute(uri, (session) -> {
			Mono<Void> output = session.send(Mono.just(session.textMessage(text)));
			Mono<Void> input = session.receive()
				.map(WebSocketMessage::getPayloadAsText)
				.next()
				.doOnNext(reply::set)
				.then();
			return output.and(input);
		}).block(TIMEOUT);
		return reply.get();
	}

}
