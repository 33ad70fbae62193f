package io.dandelion.publisher.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The limit on reports per client address: a refusal always follows a full window of
 * granted reports of that address, no address gets more than twice the limit in any
 * window, one address never holds back another, and memory stays bounded however many
 * addresses report.
 */
@ExtendWith(SeededCases.class)
class ReportLimiterTests {

	private static final Duration WINDOW = Duration.ofSeconds(60);

	@ParameterizedTest
	@MethodSource("sequences")
	void shouldRefuseOnlyAfterAFullWindowOfReportsAndNeverCountMoreThanItKeeps(int limit, int maxClients,
			List<Event> events) {
		MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000_000));
		ReportLimiter limiter = new ReportLimiter(limit, WINDOW, maxClients, clock);
		Map<String, List<Long>> granted = new HashMap<>();
		boolean evicting = events.stream().map(Event::client).distinct().count() > maxClients;
		for (Event event : events) {
			clock.advance(Duration.ofMillis(event.advanceMillis()));
			long at = clock.millis();
			List<Long> times = granted.computeIfAbsent(event.client(), (client) -> new ArrayList<>());
			long recent = times.stream().filter((time) -> time > at - WINDOW.toMillis()).count();
			if (limiter.tryAcquire(event.client())) {
				times.add(at);
				if (!evicting) {
					// Fixed windows: at most a window's worth on each side of a boundary
					assertThat(recent + 1).as("grants to %s in the last window", event.client())
						.isLessThanOrEqualTo(2L * limit);
				}
			}
			else {
				assertThat(recent).as("grants to %s before a refusal", event.client()).isGreaterThanOrEqualTo(limit);
			}
			assertThat(limiter.clients()).isLessThanOrEqualTo(maxClients);
		}
	}

	static Stream<Arguments> sequences() {
		return SeededCases.of(0x4e90L, 300, (gen) -> {
			int clients = gen.intBetween(1, 12);
			List<Event> events = new ArrayList<>();
			int count = gen.intBetween(0, 300);
			for (int i = 0; i < count; i++) {
				// Mostly bursts, now and then a pause of up to two windows
				long advance = gen.chance(0.9) ? gen.longBetween(0, 2_000) : gen.longBetween(0, 2 * WINDOW.toMillis());
				events.add(new Event("198.51.100." + gen.intBetween(1, clients), advance));
			}
			return arguments(gen.intBetween(1, 25), gen.intBetween(1, 8), events);
		});
	}

	@Test
	void shouldNotHoldBackOneAddressForAnother() {
		MutableClock clock = new MutableClock(Instant.EPOCH);
		ReportLimiter limiter = new ReportLimiter(3, WINDOW, 100, clock);
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.tryAcquire("203.0.113.7")).isTrue();
		}
		assertThat(limiter.tryAcquire("203.0.113.7")).isFalse();
		assertThat(limiter.tryAcquire("203.0.113.8")).isTrue();
		clock.advance(WINDOW);
		assertThat(limiter.tryAcquire("203.0.113.7")).isTrue();
	}

	/**
	 * One report.
	 *
	 * @param client the address it comes from
	 * @param advanceMillis how long after the previous one
	 */
	record Event(String client, long advanceMillis) {

	}

}
