package io.dandelion.protocol.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

import org.springframework.test.context.ContextConfiguration;

/**
 * Connects a Spring test's application context to the {@link TestRedisCluster shared test
 * Redis Cluster} instead of the shared Redis: the service then uses the cluster key
 * layout by itself, as it does with {@code REDIS_CLUSTER_NODES}. Such a class runs once,
 * not once per key layout as {@link WithTestRedis} classes do.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextConfiguration(initializers = TestRedisClusterInitializer.class)
@Tag(TestRedisCluster.TAG)
public @interface WithTestRedisCluster {

}
