package io.dandelion.entrance.registry;

import java.time.Duration;
import java.time.Instant;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A box that stops heartbeating is dropped, with its data, within a second of its expiry
 * time.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.expire-box-time=2s", "entrance.sweep-period=200ms" })
@WithTestRedis
class BoxExpiryTests {

	private static final Duration POLL = Duration.ofMillis(20);

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@Test
	void shouldDropASilentBoxWithinOneSecondOfItsExpiry() {
		String boxId = NodeId.random(Role.BOX).value();
		ExchangeRequest exchange = ExchangeRequest.of(boxId, "127.0.3.10", 7072,
				"ws://127.0.3.10:7071/dandelion/" + boxId + "/ws/", BoxMetrics.NONE);
		new EntranceTestClient(this.port, "127.0.3.10").send(false, 1,
				this.codec.encode(new TestCredentials(this.keys).sign(exchange)));
		Instant heartbeat = Instant.now();
		Instant deadline = heartbeat.plus(Duration.ofSeconds(2));

		Instant gone = waitUntilGone(boxId, deadline.plus(Duration.ofSeconds(3)));
		assertThat(gone).as("still listed before its expiry").isAfterOrEqualTo(deadline.minusMillis(100));
		assertThat(gone).as("dropped within 1 s of its expiry").isBefore(deadline.plus(Duration.ofSeconds(1)));
		assertThat(redis().exists(this.keys.exchange(boxId))).isZero();
	}

	@Test
	void shouldExpireOutdatedBoxesOnly() {
		// The original's test: scores in the past, now, and in the future.
		double now = Instant.now().toEpochMilli() / 1000.0;
		String[] boxes = { NodeId.random(Role.BOX).value(), NodeId.random(Role.BOX).value(),
				NodeId.random(Role.BOX).value() };
		double[] scores = { now - 500, now, now + 500 };
		for (int i = 0; i < boxes.length; i++) {
			redis().hset(this.keys.exchange(boxes[i]), "ID", boxes[i]);
			redis().zadd(this.keys.boxSet(), scores[i], boxes[i]);
		}
		waitUntilGone(boxes[1], Instant.now().plusSeconds(3));
		assertThat(redis().zscore(this.keys.boxSet(), boxes[0])).isNull();
		assertThat(redis().zscore(this.keys.boxSet(), boxes[2])).isNotNull();
		assertThat(redis().exists(this.keys.exchange(boxes[0]), this.keys.exchange(boxes[1]))).isZero();
		assertThat(redis().exists(this.keys.exchange(boxes[2]))).isOne();
	}

	private Instant waitUntilGone(String boxId, Instant giveUp) {
		while (Instant.now().isBefore(giveUp)) {
			if (redis().zscore(this.keys.boxSet(), boxId) == null) {
				return Instant.now();
			}
			sleep();
		}
		throw new AssertionError("Box " + boxId + " was never dropped");
	}

	private static void sleep() {
		try {
			Thread.sleep(POLL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
