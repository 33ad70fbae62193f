package io.dandelion.entrance.probe;

/**
 * What one dial-back probe of a box's data port found.
 *
 * @param succeeded whether the box's file server answered in time with an HTTP status
 * below 500
 * @param ttfbMs the time from sending the request, connecting included, to the answer's
 * status line, in milliseconds; {@code null} when there was no answer
 * @param mbps the rate at which the probe object was read, from sending the request to
 * its last byte, in Mbit/s; {@code null} unless the box sent the whole object
 * @param problem what went wrong, {@code null} when the probe succeeded; for a success
 * without throughput, why there is none
 */
record ProbeResult(boolean succeeded, Double ttfbMs, Double mbps, String problem) {

	static ProbeResult measured(double ttfbMs, double mbps) {
		return new ProbeResult(true, ttfbMs, mbps, null);
	}

	static ProbeResult reachable(double ttfbMs, String why) {
		return new ProbeResult(true, ttfbMs, null, why);
	}

	static ProbeResult failed(String problem) {
		return new ProbeResult(false, null, null, problem);
	}

}
