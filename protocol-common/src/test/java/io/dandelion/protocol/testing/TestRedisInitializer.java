package io.dandelion.protocol.testing;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points {@code spring.data.redis.url} at the {@link TestRedis shared test Redis} and
 * sets the run's {@link TestRedis#keyLayout() key layout}. Use it through
 * {@link WithTestRedis @WithTestRedis}.
 */
public class TestRedisInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPropertyValues.of("spring.data.redis.url=" + TestRedis.url())
			.and(TestRedis.keyLayoutProperties())
			.applyTo(context);
	}

}
