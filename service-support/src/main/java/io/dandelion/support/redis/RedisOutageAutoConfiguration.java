package io.dandelion.support.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How every service behaves while its Redis is unavailable: it fails fast and recovers by
 * itself. Lettuce's defaults would wait 60 s for an answer, queue every command while
 * disconnected and reconnect after up to 30 s, so a short Redis restart used to hold
 * health checks, REST calls and heartbeats for half a minute. Here:
 * <ul>
 * <li>a command Redis does not answer fails after {@code spring.data.redis.timeout}
 * ({@code REDIS_COMMAND_TIMEOUT}, default {@link #COMMAND_TIMEOUT}), and connecting gives
 * up after {@code spring.data.redis.connect-timeout} ({@code REDIS_CONNECT_TIMEOUT},
 * default {@link #CONNECT_TIMEOUT});</li>
 * <li>while disconnected, commands are rejected at once instead of queued;</li>
 * <li>Lettuce reconnects by itself, at least every {@link #RECONNECT_DELAY_MAX};</li>
 * <li>an HTTP request that failed for it is answered 503 with {@code Retry-After}
 * ({@link RedisUnavailableHandler}), and the log says when Redis went and came back
 * ({@link RedisConnectionWatch}).</li>
 * </ul>
 */
@AutoConfiguration(after = { RedisAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass(RedisClient.class)
public class RedisOutageAutoConfiguration {

	/**
	 * How long a command may wait for Redis unless {@code REDIS_COMMAND_TIMEOUT} says.
	 */
	public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * How long connecting to Redis may take unless {@code REDIS_CONNECT_TIMEOUT} says.
	 */
	public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/** The longest wait between two attempts to reconnect to Redis. */
	public static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);

	private static final Duration RECONNECT_DELAY_MIN = Duration.ofMillis(100);

	@Bean
	LettuceClientConfigurationBuilderCustomizer redisCommandTimeout(RedisProperties properties) {
		return (builder) -> {
			if (properties.getTimeout() == null) {
				builder.commandTimeout(COMMAND_TIMEOUT);
			}
		};
	}

	@Bean
	LettuceClientOptionsBuilderCustomizer redisFailFastOptions(RedisProperties properties) {
		return (builder) -> {
			builder.autoReconnect(true).disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS);
			if (properties.getConnectTimeout() == null) {
				builder.socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build());
			}
		};
	}

	@Bean
	ClientResourcesBuilderCustomizer redisReconnectDelay() {
		return (builder) -> builder
			.reconnectDelay(Delay.exponential(RECONNECT_DELAY_MIN, RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS));
	}

	@Bean
	@ConditionalOnBean(ClientResources.class)
	RedisConnectionWatch redisConnectionWatch(ClientResources resources) {
		return new RedisConnectionWatch(resources, Clock.systemUTC());
	}

	/**
	 * The 503 answer of a reactive web application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class WebConfiguration {

		@Bean
		RedisUnavailableHandler redisUnavailableHandler(ObjectMapper mapper) {
			return new RedisUnavailableHandler(mapper);
		}

	}

}
