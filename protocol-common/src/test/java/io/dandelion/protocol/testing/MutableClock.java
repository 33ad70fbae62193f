package io.dandelion.protocol.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, in UTC; not for concurrent use.
 */
public final class MutableClock extends Clock {

	private Instant now;

	/**
	 * A clock standing at a time.
	 * @param now the time it shows until moved
	 */
	public MutableClock(Instant now) {
		this.now = now;
	}

	/**
	 * Moves the clock, forwards or backwards.
	 * @param duration how far; negative to go back
	 */
	public void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public ZoneOffset getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.now;
	}

}
