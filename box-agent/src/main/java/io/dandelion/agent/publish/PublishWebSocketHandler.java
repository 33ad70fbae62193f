package io.dandelion.agent.publish;

import java.util.List;

import io.dandelion.agent.publish.FragmentUpgradeStrategy.FragmentSession;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.StoredAck;
import io.dandelion.protocol.WebSocketPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
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

	private final MessageCodec codec;

	private final PublishService service;

	PublishWebSocketHandler(PublishService service, MessageCodec codec) {
		this.service = service;
		this.codec = codec;
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
		// One fragment at a time (prefetch 1): frames are stored in order, and a frame's
		// content is read only as fast as it is written
		Flux<WebSocketMessage> replies = fragments(session).concatMap((fragment) -> reply(state, fragment), 1)
			.doOnDiscard(Fragment.class, Fragment::release)
			.concatMap((reply) -> send(session, state, reply));
		return session.send(replies).doFinally((signal) -> {
			state.end();
			logger.info("Publisher session {} of {} closed ({})", session.getId(), state.publisherId(),
					(state.closeStatus() != null) ? state.closeStatus() : signal);
		});
	}

	/**
	 * The connection's WebSocket frames, not aggregated into messages: a file frame is
	 * written as its fragments arrive, so a box holds a few fragments of it, not the
	 * whole file, and answers pings between them.
	 */
	private Flux<Fragment> fragments(WebSocketSession session) {
		if (session instanceof FragmentSession netty) {
			NettyDataBufferFactory buffers = netty.bufferFactory();
			return netty.receiveFragments()
				.filter((frame) -> frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
						|| frame instanceof ContinuationWebSocketFrame)
				.map((frame) -> Fragment.of(frame, buffers));
		}
		return session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT
					|| message.getType() == WebSocketMessage.Type.BINARY)
			.map(Fragment::whole);
	}

	private Mono<Message> reply(PublishSession state, Fragment fragment) {
		if (state.closeStatus() != null) {
			// Closing: what the publisher still sends is dropped
			fragment.release();
			return Mono.empty();
		}
		if (fragment.kind() == Fragment.Kind.CONTINUATION && state.frame() != null) {
			return addToFrame(state, fragment);
		}
		if (fragment.kind() == Fragment.Kind.BINARY) {
			FrameContent content = new FrameContent();
			Mono<Message> stored = this.service.onFrame(state, content);
			if (state.closeStatus() != null) {
				fragment.release();
				return stored;
			}
			state.startFrame(content, stored);
			return addToFrame(state, fragment);
		}
		String text = state.addText(fragment.payload(), fragment.last(), this.service.maxFrameBytes());
		fragment.release();
		if (text == null) {
			return (state.closeStatus() != null) ? Mono.just(this.service.tooLarge("A text message")) : Mono.empty();
		}
		return this.service.onText(state, text);
	}

	private Mono<Message> addToFrame(PublishSession state, Fragment fragment) {
		FrameContent content = state.frame();
		if (!state.countFrameBytes(fragment.payload().readableByteCount(), this.service.maxFrameBytes())) {
			fragment.release();
			state.endFrame("the frame is over the limit");
			state.closeWith(CloseStatus.TOO_BIG_TO_PROCESS);
			return Mono.just(this.service.frameTooLarge());
		}
		Mono<Void> added = content.offer(fragment.payload());
		if (!fragment.last()) {
			return added.then(Mono.empty());
		}
		Mono<Message> stored = state.frameReply();
		// The frame stays current until its end was handed over: a connection that ends
		// before fails it, so its write never waits for more
		return added.then(Mono.fromRunnable(() -> {
			content.finish();
			state.finishFrame();
		})).then(stored);
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
	 * A received WebSocket frame, retained in the first operator: a whole text message,
	 * the first fragment of a binary message or a continuation.
	 */
	private record Fragment(Kind kind, boolean last, DataBuffer payload) {

		static Fragment of(WebSocketFrame frame, NettyDataBufferFactory buffers) {
			// Retained: Reactor Netty releases the frame as soon as the first operator
			// returns, and fragments are written later on another thread
			DataBuffer payload = buffers.wrap(frame.content().retain());
			Kind kind = (frame instanceof TextWebSocketFrame) ? Kind.TEXT
					: (frame instanceof BinaryWebSocketFrame) ? Kind.BINARY : Kind.CONTINUATION;
			return new Fragment(kind, frame.isFinalFragment(), payload);
		}

		static Fragment whole(WebSocketMessage message) {
			Kind kind = (message.getType() == WebSocketMessage.Type.TEXT) ? Kind.TEXT : Kind.BINARY;
			return new Fragment(kind, true, DataBufferUtils.retain(message.getPayload()));
		}

		void release() {
			DataBufferUtils.release(this.payload);
		}

		enum Kind {

			TEXT, BINARY, CONTINUATION

		}

	}

}
