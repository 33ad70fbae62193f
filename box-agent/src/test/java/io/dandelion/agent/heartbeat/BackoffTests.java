package io.dandelion.agent.heartbeat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

	@Test
	void shouldDoubleWithJitterFromTheMinimum() {
		for (int i = 0; i < 100; i++) {
			assertThat(this.backoff.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
			assertThat(this.backoff.delay(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		}
	}

	@Test
	void shouldNeverWaitLongerThanTheCap() {
		for (int failures = 1; failures < 200; failures++) {
			assertThat(this.backoff.delay(failures)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(30));
		}
		assertThat(this.backoff.delay(Integer.MAX_VALUE)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
	}

}
