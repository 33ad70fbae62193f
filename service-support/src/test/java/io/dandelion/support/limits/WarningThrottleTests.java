package io.dandelion.support.limits;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WarningThrottleTests {

	@Test
	void shouldWarnOncePerKeyUntilTheIntervalPassed() {
		WarningThrottle<String> throttle = new WarningThrottle<>(Duration.ofMillis(200));
		assertThat(throttle.isDue("a")).isTrue();
		assertThat(throttle.isDue("a")).isFalse();
		assertThat(throttle.isDue("b")).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> throttle.isDue("a"));
		assertThat(throttle.isDue("a")).isFalse();
	}

	@Test
	void shouldWarnOnceWhenManyThreadsAskAtOnce() throws Exception {
		WarningThrottle<String> throttle = new WarningThrottle<>(Duration.ofHours(1));
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> answers = IntStream.range(0, 64).mapToObj((i) -> threads.submit(() -> {
				start.await();
				return throttle.isDue("flooded");
			})).toList();
			start.countDown();
			long due = 0;
			for (Future<Boolean> answer : answers) {
				due += answer.get(10, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(due).isOne();
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void shouldKeepItsMemoryBoundedUnderAFloodOfKeys() {
		WarningThrottle<Integer> throttle = new WarningThrottle<>(Duration.ofHours(1));
		IntStream.range(0, 50_000).forEach(throttle::isDue);
		// The first keys were forgotten on the way (a repeated warning is the price);
		// the latest are still remembered
		assertThat(throttle.isDue(0)).isTrue();
		assertThat(throttle.isDue(49_999)).isFalse();
	}

}
