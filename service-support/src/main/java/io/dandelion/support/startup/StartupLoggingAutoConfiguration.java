package io.dandelion.support.startup;

import io.dandelion.protocol.identity.NodeId;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The start-up line of a service: any reactive web application whose {@link NodeId} is a
 * bean, that is each Dandelion service.
 */
@AutoConfiguration(after = ReactiveWebServerFactoryAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnBean(NodeId.class)
public class StartupLoggingAutoConfiguration {

	@Bean
	StartupLogging startupLogging(NodeId nodeId, ServerProperties server, Environment environment) {
		return new StartupLogging(nodeId, server, environment);
	}

}
