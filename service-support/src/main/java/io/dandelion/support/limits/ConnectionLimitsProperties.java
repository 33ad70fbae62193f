package io.dandelion.support.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many connections one client address may hold open on a service's web server, and
 * how long a connection may stay silent ({@code dandelion.limits.*}).
 *
 * @param maxConnectionsPerIp {@code MAX_CONNECTIONS_PER_IP}: connections one address may
 * hold at once; a further one is closed as soon as it opens (default 64)
 * @param idleTimeout {@code IDLE_TIMEOUT}: a connection on which nothing arrived for this
 * long is closed (default 60 s; 0 never closes one)
 */
@ConfigurationProperties("dandelion.limits")
public record ConnectionLimitsProperties(@DefaultValue("64") int maxConnectionsPerIp,
		@DefaultValue("60s") Duration idleTimeout) {

	public ConnectionLimitsProperties {
		if (maxConnectionsPerIp < 1) {
			throw new IllegalArgumentException("MAX_CONNECTIONS_PER_IP must be at least 1, not " + maxConnectionsPerIp);
		}
		if (idleTimeout.isNegative()) {
			throw new IllegalArgumentException("IDLE_TIMEOUT must not be negative, not " + idleTimeout);
		}
	}

}
