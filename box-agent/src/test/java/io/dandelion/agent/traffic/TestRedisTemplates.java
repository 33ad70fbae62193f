package io.dandelion.agent.traffic;

import io.dandelion.protocol.testing.TestRedis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A reactive template on the shared test Redis for tests that wire their subject by hand.
 */
final class TestRedisTemplates {

	private static LettuceConnectionFactory factory;

	private TestRedisTemplates() {
	}

	static synchronized ReactiveStringRedisTemplate template() {
		if (factory == null) {
			factory = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(TestRedis.url()));
			factory.afterPropertiesSet();
			factory.start();
			Runtime.getRuntime().addShutdownHook(new Thread(factory::destroy, "test-redis-factory-shutdown"));
		}
		return new ReactiveStringRedisTemplate(factory);
	}

}
