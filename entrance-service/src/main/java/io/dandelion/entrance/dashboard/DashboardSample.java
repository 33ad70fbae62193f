package io.dandelion.entrance.dashboard;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of the network, as the {@code DASHBOARD_SAMPLES} stream keeps it: running
 * totals, from which the dashboard draws rates.
 *
 * @param at the start of the period it was taken in
 * @param liveBoxes boxes live at that moment
 * @param exchanges heartbeats accepted by every replica of the entrance so far
 * @param boxBytes bytes each of the busiest live boxes has served so far
 */
record DashboardSample(Instant at, long liveBoxes, long exchanges, Map<String, Long> boxBytes) {

	DashboardSample {
		Objects.requireNonNull(at, "at");
		boxBytes = Map.copyOf(boxBytes);
	}

}
