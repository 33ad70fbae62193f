package io.dandelion.support.redis;

import java.time.Duration;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.context.annotation.Bean;

/**
 * How every service uses a Redis Cluster ({@code REDIS_CLUSTER_NODES}, that is
 * {@code spring.data.redis.cluster.nodes}): Lettuce learns the cluster's topology again
 * as soon as a command meets a moved slot, a node it does not know or a connection it
 * keeps losing, and every {@link #TOPOLOGY_REFRESH_PERIOD} besides, so that a failover
 * costs a service a redirect or two, not the 60 s Lettuce would otherwise keep its old
 * view. {@code spring.data.redis.lettuce.cluster.refresh.*} replaces these when set. A
 * cluster has database 0 only: any other {@code DB} stops start-up rather than being
 * ignored. The key layout a cluster needs is chosen by {@link RedisDeployment}.
 */
@AutoConfiguration(after = RedisAutoConfiguration.class)
@ConditionalOnClass(RedisClusterClient.class)
public class RedisClusterAutoConfiguration {

	/** How often Lettuce reads the cluster's topology without a reason to. */
	public static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(10);

	/**
	 * The least time between two refreshes a command triggers: a failover answers many
	 * commands with the same redirect at once.
	 */
	static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

	@Bean
	LettuceClientOptionsBuilderCustomizer redisClusterTopologyRefresh(RedisProperties properties) {
		RedisProperties.Lettuce.Cluster.Refresh configured = properties.getLettuce().getCluster().getRefresh();
		return (builder) -> {
			if (builder instanceof ClusterClientOptions.Builder cluster && configured.getPeriod() == null
					&& !configured.isAdaptive()) {
				cluster.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enableAllAdaptiveRefreshTriggers()
					.adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
					.enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
					.dynamicRefreshSources(configured.isDynamicRefreshSources())
					.build());
			}
		};
	}

	@Bean
	InitializingBean redisClusterDatabaseCheck(RedisProperties properties) {
		return () -> {
			// Spring Boot would connect to the cluster and quietly use database 0
			if (properties.getCluster() != null && properties.getDatabase() != 0) {
				throw new IllegalStateException("DB " + properties.getDatabase() + " cannot be used with "
						+ "REDIS_CLUSTER_NODES: a Redis Cluster has database 0 only; remove DB or set it to 0");
			}
		};
	}

}
