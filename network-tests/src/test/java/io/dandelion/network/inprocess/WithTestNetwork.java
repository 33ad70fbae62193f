package io.dandelion.network.inprocess;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import io.dandelion.network.inprocess.TestNetwork.Trust;

/**
 * Gives each test of the annotated class a {@link TestNetwork} of its own, in the class's
 * field of that type: started before the test's own {@code @BeforeEach} methods, closed
 * after its {@code @AfterEach} methods (so a test may close what it added first).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TestNetworkExtension.class)
public @interface WithTestNetwork {

	/**
	 * How the network's nodes prove themselves.
	 * @return the trust; {@link TestNetwork#TRUST} unless a test is about the original's
	 * unauthenticated nodes
	 */
	Trust trust() default Trust.STRICT;

	/**
	 * Whether the boxes serve TLS (see {@link TestNetwork#startWithTlsBoxes()}).
	 * @return {@code true} for boxes serving TLS
	 */
	boolean tlsBoxes() default false;

	/**
	 * More settings of the entrance.
	 * @return {@code key=value} settings, e.g. {@code entrance.probe.period=300ms}
	 */
	String[] entranceProperties() default {};

	/**
	 * Whether every node uses the shared test Redis Cluster
	 * ({@link io.dandelion.protocol.testing.TestRedisCluster}) instead of the shared
	 * Redis.
	 * @return {@code true} for the cluster
	 */
	boolean redisCluster() default false;

}
