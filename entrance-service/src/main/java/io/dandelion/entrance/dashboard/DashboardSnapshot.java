package io.dandelion.entrance.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard shows at one moment: the live boxes and the plots over time. The
 * first server-sent event and {@code GET /dandelion/api/v1/dashboard} hold every sample
 * kept; later events only the samples taken since the previous one.
 *
 * @param entranceId the entrance's ID
 * @param at when the snapshot was taken
 * @param samplePeriodSeconds time between two samples, and between two events
 * @param history how many samples the plots keep
 * @param boxes the live boxes, best score first
 * @param series the plots
 */
record DashboardSnapshot(String entranceId, Instant at, double samplePeriodSeconds, int history,
		List<DashboardBox> boxes, DashboardSeries series) {

}
