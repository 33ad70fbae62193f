package io.dandelion.support.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says whether a warning about one key (an address, a box) is due: at most once per
 * interval per key, so that a flood of refusals is logged, but not once per message. Its
 * memory stays bounded under a flood from many keys: past a cap it forgets them all,
 * which at worst repeats a few warnings.
 *
 * @param <K> the key type
 */
public final class WarningThrottle<K> {

	private static final int MAX_KEYS = 10_000;

	private final long intervalNanos;

	private final Map<K, Long> lastWarning = new ConcurrentHashMap<>();

	/**
	 * A throttle.
	 * @param interval the least time between two warnings about one key
	 */
	public WarningThrottle(Duration interval) {
		this.intervalNanos = Objects.requireNonNull(interval, "interval").toNanos();
	}

	/**
	 * Whether to warn about a key now; if so, the next warning about it is due an
	 * interval later.
	 * @param key the key
	 * @return {@code true} the first time, and then once per interval
	 */
	public boolean isDue(K key) {
		long now = System.nanoTime();
		if (this.lastWarning.size() > MAX_KEYS) {
			this.lastWarning.clear();
		}
		boolean[] due = new boolean[1];
		this.lastWarning.compute(key, (ignored, previous) -> {
			due[0] = previous == null || now - previous > this.intervalNanos;
			return due[0] ? now : previous;
		});
		return due[0];
	}

}
