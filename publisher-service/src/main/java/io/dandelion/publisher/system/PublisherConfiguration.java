package io.dandelion.publisher.system;

import java.time.Clock;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.publisher.config.LiveProperties;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.client.ClientTls;
import io.dandelion.support.geo.GeoIpLocator;
import io.dandelion.support.redis.RedisDeployment;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/**
 * Shared beans of the publisher: its live settings, its Redis key names, the clock, the
 * message codec, the GeoIP database and the WebSocket client for entrances and boxes.
 */
@Configuration(proxyBeanMethods = false)
class PublisherConfiguration {

	@Bean
	LiveProperties liveProperties(PublisherProperties properties) {
		return properties.live();
	}

	@Bean
	RedisKeys redisKeys(NodeId nodeId, PublisherProperties properties, ObjectProvider<RedisConnectionDetails> redis) {
		return new RedisKeys(nodeId.value(),
				RedisDeployment.keyLayout(properties.redisKeyLayout(), RedisDeployment.isCluster(redis)));
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	MessageCodec messageCodec() {
		return new MessageCodec();
	}

	@Bean(destroyMethod = "close")
	GeoIpLocator geoIpLocator(PublisherProperties properties) {
		return GeoIpLocator.open(properties.geoipDatabase());
	}

	@Bean
	ReactorNettyWebSocketClient webSocketClient(PublisherProperties properties, ClientTls tls) {
		int maxFrame = (int) Math.min(Integer.MAX_VALUE, properties.publish().maxFrameSize().toBytes());
		// Unpooled: a WebSocket connection is never reused. The frame limit is raised so
		// that a large reply never closes a connection with 1009.
		HttpClient http = tls.apply(HttpClient.create(ConnectionProvider.newConnection()));
		return new ReactorNettyWebSocketClient(http,
				() -> WebsocketClientSpec.builder().maxFramePayloadLength(maxFrame));
	}

}
