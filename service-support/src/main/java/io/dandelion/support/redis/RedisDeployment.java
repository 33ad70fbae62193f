package io.dandelion.support.redis;

import io.dandelion.protocol.redis.RedisKeyLayout;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;

/**
 * Whether a service talks to one Redis or to a Redis Cluster
 * ({@code REDIS_CLUSTER_NODES}, that is {@code spring.data.redis.cluster.nodes}), and the
 * key layout that follows: on a cluster every key of a node must share its slot, so the
 * {@link RedisKeyLayout#CLUSTER cluster layout} is the default there and the original one
 * is refused.
 */
public final class RedisDeployment {

	private RedisDeployment() {
	}

	/**
	 * Whether the service is configured for a Redis Cluster.
	 * @param details Spring Boot's Redis connection details, if any
	 * @return {@code true} when cluster nodes are configured
	 */
	public static boolean isCluster(ObjectProvider<RedisConnectionDetails> details) {
		RedisConnectionDetails connection = details.getIfAvailable();
		return connection != null && connection.getCluster() != null;
	}

	/**
	 * The key layout a node uses.
	 * @param configured {@code REDIS_KEY_LAYOUT}, {@code null} when not set
	 * @param cluster whether the node uses a Redis Cluster
	 * @return the configured layout, else {@code cluster} on a cluster and
	 * {@code original} on one Redis
	 * @throws IllegalStateException for the original layout on a cluster
	 */
	public static RedisKeyLayout keyLayout(RedisKeyLayout configured, boolean cluster) {
		if (configured == null) {
			return cluster ? RedisKeyLayout.CLUSTER : RedisKeyLayout.ORIGINAL;
		}
		if (cluster && configured == RedisKeyLayout.ORIGINAL) {
			throw new IllegalStateException("REDIS_KEY_LAYOUT original cannot be used with REDIS_CLUSTER_NODES: on a "
					+ "Redis Cluster all keys of a node must share one slot, which only the cluster layout ({ID}:KEY) "
					+ "gives; remove REDIS_KEY_LAYOUT or set it to cluster");
		}
		return configured;
	}

}
