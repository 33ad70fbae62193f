package io.dandelion.support.limits;

import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link ConnectionLimits} on the web server of every reactive application on Reactor
 * Netty, that is each Dandelion service.
 */
@AutoConfiguration(before = ReactiveWebServerFactoryAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass(HttpServer.class)
@EnableConfigurationProperties(ConnectionLimitsProperties.class)
public class ConnectionLimitsAutoConfiguration {

	@Bean
	ConnectionLimits connectionLimits(ConnectionLimitsProperties properties) {
		return new ConnectionLimits(properties);
	}

}
