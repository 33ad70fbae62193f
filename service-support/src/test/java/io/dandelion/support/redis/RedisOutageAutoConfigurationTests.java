package io.dandelion.support.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RedisOutageAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class, RedisOutageAutoConfiguration.class));

	@Test
	void shouldFailFastWhileRedisIsAwayAndReconnectByItself() {
		this.runner.run((context) -> {
			LettuceClientConfiguration client = context.getBean(LettuceConnectionFactory.class)
				.getClientConfiguration();
			assertThat(client.getCommandTimeout()).isEqualTo(RedisOutageAutoConfiguration.COMMAND_TIMEOUT);
			ClientOptions options = client.getClientOptions().orElseThrow();
			assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(options.isAutoReconnect()).isTrue();
			assertThat(options.getTimeoutOptions().isApplyConnectionTimeout()).isTrue();
			assertThat(options.getSocketOptions().getConnectTimeout())
				.isEqualTo(RedisOutageAutoConfiguration.CONNECT_TIMEOUT);
			assertThat(client.getClientResources().orElseThrow().reconnectDelay().createDelay(20))
				.isEqualTo(RedisOutageAutoConfiguration.RECONNECT_DELAY_MAX);
			assertThat(context).hasSingleBean(RedisConnectionWatch.class);
		});
	}

	@Test
	void shouldTakeTheTimeoutsTheSettingsGive() {
		this.runner.withPropertyValues("spring.data.redis.timeout=7s", "spring.data.redis.connect-timeout=3s")
			.run((context) -> {
				LettuceClientConfiguration client = context.getBean(LettuceConnectionFactory.class)
					.getClientConfiguration();
				assertThat(client.getCommandTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(client.getClientOptions().orElseThrow().getSocketOptions().getConnectTimeout())
					.isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void shouldAnswer503InAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RedisAutoConfiguration.class,
					RedisOutageAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(RedisUnavailableHandler.class));
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(RedisUnavailableHandler.class));
	}

}
