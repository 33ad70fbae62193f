package io.dandelion.support.redis;

import java.time.Duration;

import io.dandelion.protocol.redis.RedisKeyLayout;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisClusterAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(RedisAutoConfiguration.class, RedisOutageAutoConfiguration.class, RedisClusterAutoConfiguration.class));

	@Test
	void shouldFollowAFailoverQuicklyAndStillFailFast() {
		this.runner
			.withPropertyValues("spring.data.redis.cluster.nodes[0]=127.0.0.1:7001",
					"spring.data.redis.cluster.nodes[1]=127.0.0.1:7002")
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(factory.isClusterAware()).isTrue();
				ClusterClientOptions options = (ClusterClientOptions) factory.getClientConfiguration()
					.getClientOptions()
					.orElseThrow();
				ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
				assertThat(refresh.getAdaptiveRefreshTriggers()).contains(RefreshTrigger.MOVED_REDIRECT,
						RefreshTrigger.PERSISTENT_RECONNECTS, RefreshTrigger.UNKNOWN_NODE);
				assertThat(refresh.getAdaptiveRefreshTimeout())
					.isEqualTo(RedisClusterAutoConfiguration.ADAPTIVE_REFRESH_TIMEOUT);
				assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(RedisClusterAutoConfiguration.TOPOLOGY_REFRESH_PERIOD);
				assertThat(options.getDisconnectedBehavior())
					.isEqualTo(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			});
	}

	@Test
	void shouldLeaveTheRefreshToSpringBootsSettingsWhenGiven() {
		this.runner
			.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7001",
					"spring.data.redis.lettuce.cluster.refresh.period=42s")
			.run((context) -> {
				ClusterClientOptions options = (ClusterClientOptions) context.getBean(LettuceConnectionFactory.class)
					.getClientConfiguration()
					.getClientOptions()
					.orElseThrow();
				assertThat(options.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(42));
				assertThat(options.getTopologyRefreshOptions().getAdaptiveRefreshTriggers()).isEmpty();
			});
	}

	@Test
	void shouldRefuseADatabaseOtherThanZeroOnACluster() {
		this.runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7001", "spring.data.redis.database=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("DB 3 cannot be used with REDIS_CLUSTER_NODES"));
		this.runner.withPropertyValues("spring.data.redis.database=3")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void shouldChooseTheClusterKeyLayoutOnAClusterAndRefuseTheOriginalOne() {
		assertThat(RedisDeployment.keyLayout(null, true)).isEqualTo(RedisKeyLayout.CLUSTER);
		assertThat(RedisDeployment.keyLayout(null, false)).isEqualTo(RedisKeyLayout.ORIGINAL);
		assertThat(RedisDeployment.keyLayout(RedisKeyLayout.CLUSTER, false)).isEqualTo(RedisKeyLayout.CLUSTER);
		assertThat(RedisDeployment.keyLayout(RedisKeyLayout.CLUSTER, true)).isEqualTo(RedisKeyLayout.CLUSTER);
		assertThatIllegalStateException().isThrownBy(() -> RedisDeployment.keyLayout(RedisKeyLayout.ORIGINAL, true))
			.withMessageContaining("REDIS_KEY_LAYOUT original cannot be used with REDIS_CLUSTER_NODES");
	}

}
