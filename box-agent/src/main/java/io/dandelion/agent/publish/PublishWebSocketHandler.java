package io.dandelion.agent.publish;

import java.util.List;

import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.StoredAck;
import io.dandelion.protocol.WebSocketPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The box's publisher WebSocket, {@code /dandelion/{box-id}/ws/}: a PUBLISH first, then
 * binary file frames, each answered in order on the same connection. State is per
 * connection.
 */
@Component
public final class PublishWebSocketHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(PublishWebSocketHandler.class);

	private final MessageCodec codec = new MessageCodec();

	private final PublishService service;

	PublishWebSocketHandler(PublishService service) {
		this.service = service;
	}

	/**
	 * Publishers that speak our protocol ask for {@code dandelion.v2} and get a STORED
	 * acknowledgement for every frame; the original's publishers ask for nothing, and
	 * their dispatcher drops the connection on a COMMAND it does not know.
	 */
	@Override
	public List<String> getSubProtocols() {
		return List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL);
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		boolean acknowledges = WebSocketPaths.PERSISTENT_SUBPROTOCOL
			.equals(session.getHandshakeInfo().getSubProtocol());
		PublishSession state = new PublishSession(session.getId(), acknowledges);
		logger.info("Publisher session {} opened from {}{}", session.getId(),
				session.getHandshakeInfo().getRemoteAddress(),
				acknowledges ? "" : " without " + WebSocketPaths.PERSISTENT_SUBPROTOCOL + ": no STORED acks");
		// One message at a time (prefetch 1): frames are stored in order, and at most one
		// retained frame waits while another is written
		Flux<WebSocketMessage> replies = session.receive()
			.filter((message) -> message.getType() != WebSocketMessage.Type.PING
					&& message.getType() != WebSocketMessage.Type.PONG)
			.map(Inbound::of)
			.concatMap((inbound) -> reply(state, inbound), 1)
			.doOnDiscard(Inbound.class, Inbound::release)
			.concatMap((reply) -> send(session, state, reply));
		return session.send(replies)
			.doFinally((signal) -> logger.info("Publisher session {} of {} closed ({})", session.getId(),
					state.publisherId(), (state.closeStatus() != null) ? state.closeStatus() : signal));
	}

	private Mono<Message> reply(PublishSession state, Inbound inbound) {
		if (state.closeStatus() != null) {
			// Closing: what the publisher still sends is dropped
			inbound.release();
			return Mono.empty();
		}
		if (inbound.frame() != null) {
			return this.service.onFrame(state, inbound.frame());
		}
		return this.service.onText(state, inbound.text());
	}

	/**
	 * The reply as a message for the outbound stream; a reply that closes the session is
	 * written on its own first, then the close frame follows it. The inbound stream is
	 * not cancelled (Reactor Netty would answer that with a close frame without status).
	 */
	private Mono<WebSocketMessage> send(WebSocketSession session, PublishSession state, Message reply) {
		CloseStatus status = state.closeStatus();
		if (reply instanceof StoredAck ack && !state.acknowledges()) {
			if (!ack.isStored()) {
				logger.info("Session {} frame {} refused ({}: {}); the publisher asked for no acks", session.getId(),
						ack.filePath(), ack.errorCode(), ack.error());
			}
			return (status != null) ? session.close(status).then(Mono.empty()) : Mono.empty();
		}
		WebSocketMessage message = session.textMessage(this.codec.encode(reply));
		if (status == null) {
			return Mono.just(message);
		}
		return session.send(Mono.just(message)).then(session.close(status)).then(Mono.empty());
	}

	/**
	 * A received message turned, in the first operator, into text or a retained frame.
	 */
	private record Inbound(String text, FrameBuffer frame) {

		static Inbound of(WebSocketMessage message) {
			if (message.getType() == WebSocketMessage.Type.BINARY) {
				return new Inbound(null, FrameBuffer.retain(message.getPayload()));
			}
			return new Inbound(message.getPayloadAsText(), null);
		}

		void release() {
			if (this.frame != null) {
				this.frame.releaseUnlessClaimed();
			}
		}

	}

}
