package io.dandelion.agent.heartbeat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts on an entrance that keeps failing: doubling from a minimum up
 * to a cap, each drawn at random from its upper half, so that boxes cut off together do
 * not all come back at the same instant.
 *
 * @param min the first delay
 * @param max the cap
 */
record Backoff(Duration min, Duration max) {

	/**
	 * The delay after a number of failures in a row.
	 * @param failures failures in a row, at least 1
	 * @return the delay, between half the nominal delay and the nominal delay
	 */
	Duration delay(int failures) {
		long minMillis = Math.max(1, this.min.toMillis());
		long nominal = Math.min(this.max.toMillis(), minMillis << Math.min(Math.max(failures - 1, 0), 20));
		long half = nominal / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(nominal - half + 1));
	}

}
