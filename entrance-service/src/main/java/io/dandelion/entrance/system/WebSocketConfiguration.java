package io.dandelion.entrance.system;

import java.util.Map;

import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.session.EntranceRequests;
import io.dandelion.entrance.session.EntranceWebSocketHandler;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.WebSocketPaths;

/**
 * Maps the entrance's WebSocket path and lets its frames be as large as a message may be
 * (Reactor Netty's default is 64 KiB; a heartbeat with many traffic entries is larger).
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

	@Bean
	HandlerMapping entranceWebSocketMapping(MessageCodec codec, EntranceRequests requests,
			EntranceProperties properties) {
		return new SimpleUrlHandlerMapping(Map.of(WebSocketPaths.ENTRANCE_WS,
				new EntranceWebSocketHandler(codec, requests, properties.trustedProxies())), -1);
	}

	@Bean
	WebSocketHandlerAdapter webSocketHandlerAdapter() {
		// A new builder per handshake: the strategy sets the negotiated subprotocol
		// on it, and a shared builder would hand one session's subprotocol to the next.
		return new WebSocketHandlerAdapter(
				new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(() -> WebsocketServerSpec.builder()
					.maxFramePayloadLength(MessageCodec.DEFAULT_MAX_MESSAGE_CHARS * 4))));
	}

}
