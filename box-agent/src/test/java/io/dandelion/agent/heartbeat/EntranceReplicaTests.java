package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.time.Duration;

import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two configured URLs of one entrance (replicas sharing its ID): the heartbeats go to the
 * first only, fail over to the second while the first is down, and come back to the first
 * once it answers again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
@DirtiesContext
class EntranceReplicaTests {

	static final TestEntrance first = TestEntrance.start(true);

	static final TestEntrance second = TestEntrance.replicaOf(first);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		EntranceClientTests.fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", first::url);
		registry.add("box.entrance-urls[1]", second::url);
	}

	@AfterAll
	static void stopEntrances() {
		first.close();
		second.close();
	}

	@Test
	void shouldHeartbeatOneReplicaAndFailOverToTheOther() {
		assertThat(second.id()).isEqualTo(first.id());
		// Both are asked once (the box learns their ID from the answers), then only the
		// first
		await().atMost(EntranceClientTests.WAIT).until(() -> first.received().size() >= 3);
		int atSecond = second.received().size();
		int atFirst = first.received().size();
		await().pollDelay(Duration.ofSeconds(1)).atMost(EntranceClientTests.WAIT).until(() -> true);
		assertThat(first.received().size()).as("heartbeats at the first").isGreaterThan(atFirst + 2);
		assertThat(second.received().size()).as("heartbeats at its standby").isEqualTo(atSecond);

		first.stop();
		await().atMost(EntranceClientTests.WAIT).until(() -> second.received().size() > atSecond + 2);

		first.restart();
		await().atMost(EntranceClientTests.WAIT).until(() -> first.received().size() > atFirst + 5);
		// Back at the first: the standby gets nothing more after its last one in flight
		await().pollDelay(Duration.ofMillis(500)).atMost(EntranceClientTests.WAIT).until(() -> true);
		int standing = second.received().size();
		await().pollDelay(Duration.ofSeconds(1)).atMost(EntranceClientTests.WAIT).until(() -> true);
		assertThat(second.received().size()).as("heartbeats at the standby once the first is back").isEqualTo(standing);
	}

}
