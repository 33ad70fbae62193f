package io.dandelion.support.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * The shared settings of trust ({@link SecurityProperties}), the warning a node in
 * compatible mode logs at start-up, and TLS 1.2+ on a node serving HTTPS.
 */
@AutoConfiguration
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityAutoConfiguration.class);

	@Bean
	@ConditionalOnClass(NettyReactiveWebServerFactory.class)
	ServerTlsProtocols serverTlsProtocols() {
		return new ServerTlsProtocols();
	}

	@Bean
	SmartInitializingSingleton compatibleModeWarning(SecurityProperties properties) {
		return () -> {
			if (properties.mode() == SecurityMode.COMPATIBLE) {
				logger.warn("SECURITY_MODE is compatible: unauthenticated messages of the original's nodes and "
						+ "unsigned viewer URLs are accepted. Switch to strict once every node has a credential.");
			}
		};
	}

}
