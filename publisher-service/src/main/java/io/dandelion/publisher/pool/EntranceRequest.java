package io.dandelion.publisher.pool;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.WebSocketClient;

import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;

/**
 * One request to an entrance, the original's way: one connection, one message, one reply.
 * SEARCH and REPORT both go this way.
 */
@Component
class EntranceRequest {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final WebSocketClient client;

	private final MessageCodec codec;

	EntranceRequest(WebSocketClient client, MessageCodec codec) {
		this.client = client;
		this.codec = codec;
	}

	/**
	 * Sends a request and reads the entrance's reply.
	 * @param entrance the entrance's WebSocket URL
	 * @param request the request, made when the connection is open (so a proof's time is
	 * the sending time)
	 * @return the decoded reply; an error when the entrance answered nothing within 5 s
	 */
	Mono<Message> send(URI entrance, Supplier<Message> request) {
		AtomicReference<String> reply = new AtomicReference<>();
		return this.client
			.execute(entrance,
					(session) -> session
						.send(Mono.fromSupplier(() -> session.textMessage(this.codec.encode(request.get()))))
						.thenMany(session.receive().map(WebSocketMessage::getPayloadAsText).take(1))
						.doOnNext(reply::set)
						.then())
			.timeout(TIMEOUT)
			.then(Mono.fromSupplier(reply::get))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("Entrance " + entrance + " did not answer")))
			.map(this.codec::decode);
	}

}
