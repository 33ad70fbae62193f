package io.dandelion.agent.system;

import java.util.Map;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.publish.FragmentUpgradeStrategy;
import io.dandelion.agent.publish.PublishWebSocketHandler;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.identity.NodeId;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

/**
 * Maps the box's publisher WebSocket, {@code /dandelion/{box-id}/ws/}, and lets it take
 * frames up to {@code box.store.max-frame-size} (Reactor Netty's default is 64 KiB), read
 * fragment by fragment; declares the box's one codec of messages.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

	/**
	 * The one codec of the box's messages: the publisher socket's, the heartbeats' and
	 * that of the exchange data the box keeps in Redis.
	 */
	@Bean
	MessageCodec messageCodec() {
		return new MessageCodec();
	}

	@Bean
	HandlerMapping publishWebSocketMapping(NodeId nodeId, PublishWebSocketHandler handler) {
		return new SimpleUrlHandlerMapping(Map.of(WebSocketPaths.boxWebSocket(nodeId.value()), handler), -1);
	}

	@Bean
	WebSocketHandlerAdapter webSocketHandlerAdapter(BoxProperties properties) {
		int maxFrameSize = Math.toIntExact(properties.store().maxFrameSize().toBytes());
		// The limit caps one WebSocket frame (a longer one closes the connection with
		// 1009); the publish handler caps a message of continuation frames itself
		FragmentUpgradeStrategy strategy = new FragmentUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrameSize));
		return new WebSocketHandlerAdapter(new HandshakeWebSocketService(strategy));
	}

}
