package io.dandelion.entrance.session;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import io.dandelion.entrance.peer.Peer;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.support.geo.TrustedProxies;

/**
 * The entrance's WebSocket ({@code /dandelion/ws/}): EXCHANGE from boxes, SEARCH and
 * REPORT from publishers. A client that asks for the {@code dandelion.v2} subprotocol
 * keeps its connection for many requests; any other gets one reply and then the close, as
 * the original did. A binary frame gets the error reply ({@code INVALID_JSON}), as text
 * that is not JSON does. Nothing is kept per connection but the peer's address.
 */
public final class EntranceWebSocketHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(EntranceWebSocketHandler.class);

	private final MessageCodec codec;

	private final EntranceRequests requests;

	private final TrustedProxies proxies;

	public EntranceWebSocketHandler(MessageCodec codec, EntranceRequests requests, List<String> trustedProxies) {
		this.codec = codec;
		this.requests = requests;
		this.proxies = new TrustedProxies(trustedProxies);
	}

	@Override
	public List<String> getSubProtocols() {
		return List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL);
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		boolean persistent = WebSocketPaths.PERSISTENT_SUBPROTOCOL.equals(session.getHandshakeInfo().getSubProtocol());
		Peer peer = Peer.of(session.getHandshakeInfo(), this.proxies);
		logger.debug("Session {} opened from {} ({})", session.getId(), peer.address(),
				persistent ? "persistent" : "one request");
		return session
			.send(session.receive()
				.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT
						|| message.getType() == WebSocketMessage.Type.BINARY)
				// Read the payload here: it is released once this operator returns
				.map((message) -> (message.getType() == WebSocketMessage.Type.TEXT)
						? Frame.text(message.getPayloadAsText())
						: Frame.binary(message.getPayload().readableByteCount()))
				.concatMap((frame) -> (frame.text() != null) ? this.requests.handle(frame.text(), peer)
						: this.requests.refuseBinary(frame.bytes(), peer))
				.take(persistent ? Long.MAX_VALUE : 1)
				.map(this.codec::encode)
				.map(session::textMessage))
			.then(session.close())
			.doFinally(
					(signal) -> logger.debug("Session {} from {} ended ({})", session.getId(), peer.address(), signal));
	}

	/**
	 * A frame as received: its text, or for a binary frame only its size.
	 *
	 * @param text the text of a text frame; {@code null} for a binary frame
	 * @param bytes the size of a binary frame
	 */
	private record Frame(String text, int bytes) {

		static Frame text(String text) {
			return new Frame(text, 0);
		}

		static Frame binary(int bytes) {
			return new Frame(null, bytes);
		}

	}

}
