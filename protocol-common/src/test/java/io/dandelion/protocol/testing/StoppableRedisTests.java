package io.dandelion.protocol.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StoppableRedisTests {

	@Test
	void shouldRefuseConnectionsWhileStoppedAndKeepItsDataWhenStartedAgain() {
		try (StoppableRedis redis = StoppableRedis.start()) {
			RedisClient client = RedisClient.create(redis.url());
			try {
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					connection.sync().set("kept", "yes");
				}
				redis.stop();
				assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(client::connect);
				redis.startAgain();
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					assertThat(connection.sync().get("kept")).isEqualTo("yes");
				}
			}
			finally {
				client.shutdown();
			}
		}
	}

}
