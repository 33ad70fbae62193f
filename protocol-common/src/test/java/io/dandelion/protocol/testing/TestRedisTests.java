package io.dandelion.protocol.testing;

import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestRedisTests {

	@Test
	void shouldStartAnEmbeddedRedisThatAnswers() throws Exception {
		TestRedis.Embedded embedded = TestRedis.startEmbedded();
		try {
			assertThat(embedded.url()).startsWith("redis://127.0.0.1:");
			RedisClient client = RedisClient.create(embedded.url());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				assertUsable(connection.sync());
			}
			finally {
				client.shutdown();
			}
		}
		finally {
			embedded.stop();
		}
	}

	@Test
	void shouldFallBackToEmbeddedRedisWhenNoUrlIsSet() {
		// Without DANDELION_TEST_REDIS_URL: a container when Docker runs, else the
		// embedded binary
		String url = TestRedis.resolve(Map.of());
		assertThat(url).startsWith("redis://");
		RedisClient client = RedisClient.create(url);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			assertUsable(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void shouldUseTheConfiguredUrl() {
		assertThat(TestRedis.resolve(Map.of(TestRedis.URL_VARIABLE, "redis://10.1.2.3:6380/14")))
			.isEqualTo("redis://10.1.2.3:6380/14");
	}

	@Test
	void shouldServeTheSharedRedis() {
		assertUsable(TestRedis.commands());
	}

	@Test
	void shouldRefuseToDeleteEveryKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> TestRedis.deleteKeysWithPrefix(""));
	}

	private void assertUsable(RedisCommands<String, String> commands) {
		assertThat(commands.ping()).isEqualTo("PONG");
		String prefix = "{box-" + UUID.randomUUID() + "}";
		String other = "{box-" + UUID.randomUUID() + "}";
		for (int i = 0; i < 1200; i++) {
			commands.set(prefix + ":KEY:" + i, "v" + i);
		}
		commands.set(other + ":KEY", "kept");
		assertThat(commands.get(prefix + ":KEY:7")).isEqualTo("v7");
		assertThat(TestRedis.deleteKeysWithPrefix(commands, prefix)).isEqualTo(1200);
		assertThat(commands.exists(prefix + ":KEY:7")).isZero();
		assertThat(commands.get(other + ":KEY")).isEqualTo("kept");
		TestRedis.deleteKeysWithPrefix(commands, other);
	}

}
