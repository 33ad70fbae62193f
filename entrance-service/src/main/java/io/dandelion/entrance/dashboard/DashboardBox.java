package io.dandelion.entrance.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.dandelion.entrance.api.BoxResponse;

/**
 * One row of the dashboard's table and one point of its map: a live box as the REST API
 * shows it (declared capacity in {@code box.system}, score, reasons, traffic, where it
 * is), its status, and what the entrance measured of it.
 *
 * @param status {@code suspended} when it failed the entrance's probes (left out of
 * SEARCH), {@code reported} when publishers reported it serving wrong bytes, {@code late}
 * when its last heartbeat is older than half the expiry time (it is dropped unless one
 * comes), else {@code live}
 * @param box the box
 * @param measured what the entrance measured of it; {@code null} when nothing
 */
record DashboardBox(String status, BoxResponse box, MeasuredCapacity measured) {

	static final String LIVE = "live";

	static final String LATE = "late";

	static final String REPORTED = "reported";

	static final String SUSPENDED = "suspended";

	DashboardBox {
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(box, "box");
	}

	static DashboardBox of(BoxResponse box, MeasuredCapacity measured, Instant now, Duration expireBoxTime) {
		return new DashboardBox(status(box, measured, now, expireBoxTime), box, measured);
	}

	private static String status(BoxResponse box, MeasuredCapacity measured, Instant now, Duration expireBoxTime) {
		if (measured != null && measured.suspended()) {
			return SUSPENDED;
		}
		if (box.reports() != null && box.reports().reporters() > 0) {
			return REPORTED;
		}
		if (box.lastSeen() != null && box.lastSeen().plus(expireBoxTime.dividedBy(2)).isBefore(now)) {
			return LATE;
		}
		return LIVE;
	}

}
