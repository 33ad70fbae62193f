package io.dandelion.entrance.probe;

/**
 * What the probes found of one box, as SEARCH and the dashboard need it.
 *
 * @param suspended whether the box is suspended: left out of SEARCH replies
 * @param ttfbMs the time to first byte of its last successful probe, {@code null} if none
 * @param mbps the throughput of its last successful probe, {@code null} if none measured
 * one
 */
public record ProbedHealth(boolean suspended, Double ttfbMs, Double mbps) {

	/** A box never probed. */
	static final ProbedHealth UNKNOWN = new ProbedHealth(false, null, null);

}
