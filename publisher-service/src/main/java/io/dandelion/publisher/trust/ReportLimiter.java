package io.dandelion.publisher.trust;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many reports one client address may send: at most {@code limit} per window, in
 * fixed windows. The counts of at most {@code maxClients} addresses are kept, the least
 * recently seen dropped first, so memory stays bounded whatever the number of addresses.
 * Thread-safe.
 */
final class ReportLimiter {

	private final int limit;

	private final long windowMillis;

	private final Clock clock;

	private final Map<String, Window> windows;

	/**
	 * A limiter.
	 * @param limit reports one address may send per window
	 * @param window the window's length
	 * @param maxClients most addresses counted at once
	 * @param clock the clock
	 */
	ReportLimiter(int limit, Duration window, int maxClients, Clock clock) {
		this.limit = limit;
		this.windowMillis = window.toMillis();
		this.clock = clock;
		this.windows = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
				return size() > maxClients;
			}

		};
	}

	/**
	 * Counts one report of an address.
	 * @param client the address
	 * @return {@code true} when it is within the limit, {@code false} when it is refused
	 */
	synchronized boolean tryAcquire(String client) {
		long now = this.clock.millis();
		Window window = this.windows.get(client);
		if (window == null || now - window.start >= this.windowMillis) {
			window = new Window(now);
			this.windows.put(client, window);
		}
		if (window.count >= this.limit) {
			return false;
		}
		window.count++;
		return true;
	}

	/**
	 * Addresses counted now.
	 * @return how many
	 */
	synchronized int clients() {
		return this.windows.size();
	}

	private static final class Window {

		final long start;

		int count;

		Window(long start) {
			this.start = start;
		}

	}

}
