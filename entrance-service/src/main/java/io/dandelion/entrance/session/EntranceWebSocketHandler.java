package io.dandelion.entrance.session;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.geo.TrustedProxies;
import io.dandelion.protocol.WebSocketPaths;

/**
 * The entrance's WebSocket ({@code /dandelion/ws/}): EXCHANGE from boxes, SEARCH and
 * REPORT from publishers. A client that asks for the {@code dandelion.v2} subprotocol
 * keeps its connection for many requests; any other gets one reply and then the close, as
 * the original did. Nothing is kept per connection but the peer's address.
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
				.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
				.map(WebSocketMessage::getPayloadAsText)
				.concatMap((text) -> this.requests.handle(text, peer))
				.take(persistent ? Long.MAX_VALUE : 1)
				.map(this.codec::encode)
				.map(session::textMessage))
			.then(session.close())
			.doFinally(
					(signal) -> logger.debug("Session {} from {} ended ({})", session.getId(), peer.address(), signal));
	}

}
