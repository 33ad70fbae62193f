package io.dandelion.agent.publish;

import java.util.function.Supplier;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * Upgrades like Spring's Reactor Netty strategy, but gives the handler a
 * {@link FragmentSession}, which can also read the connection's WebSocket frames one by
 * one: Spring's {@code receive()} always aggregates a fragmented message into one buffer,
 * which for a file frame is the whole file.
 */
public final class FragmentUpgradeStrategy implements RequestUpgradeStrategy {

	private final Supplier<WebsocketServerSpec.Builder> spec;

	/**
	 * Upgrades with the given WebSocket settings.
	 * @param spec makes the settings of each connection
	 */
	public FragmentUpgradeStrategy(Supplier<WebsocketServerSpec.Builder> spec) {
		this.spec = spec;
	}

	@Override
	public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
			Supplier<HandshakeInfo> handshakeInfoFactory) {
		ServerHttpResponse response = exchange.getResponse();
		HttpServerResponse nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		HandshakeInfo handshakeInfo = handshakeInfoFactory.get();
		NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
		// Runs WebFlux's pre-commit actions before the upgrade, as Spring's strategy does
		return response.setComplete().then(Mono.defer(() -> {
			WebsocketServerSpec.Builder builder = this.spec.get();
			if (subProtocol != null) {
				builder.protocols(subProtocol);
			}
			WebsocketServerSpec spec = builder.build();
			return nativeResponse.sendWebsocket((inbound, outbound) -> handler
				.handle(new FragmentSession(inbound, outbound, handshakeInfo, buffers, spec.maxFramePayloadLength())),
					spec);
		}));
	}

	/**
	 * A Reactor Netty WebSocket session that can read unaggregated frames.
	 */
	static final class FragmentSession extends ReactorNettyWebSocketSession {

		FragmentSession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
				NettyDataBufferFactory buffers, int maxFramePayloadLength) {
			super(inbound, outbound, info, buffers, maxFramePayloadLength);
		}

		/**
		 * The connection's frames as they arrive, continuation frames included; pings are
		 * answered by Reactor Netty meanwhile. Use this or {@link #receive()}, not both.
		 * @return the frames, released once the first operator returns
		 */
		Flux<WebSocketFrame> receiveFragments() {
			return getDelegate().getInbound().receiveFrames();
		}

	}

}
