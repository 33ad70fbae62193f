package io.dandelion.protocol.testing;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points {@code spring.data.redis.cluster.nodes} at the {@link TestRedisCluster shared
 * test Redis Cluster}, and sets no key layout: the service must choose the cluster one.
 * Use it through {@link WithTestRedisCluster @WithTestRedisCluster}.
 */
public class TestRedisClusterInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPropertyValues.of(TestRedisCluster.shared().springProperty()).applyTo(context);
	}

}
