package io.dandelion.entrance.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import io.dandelion.protocol.BoxMetrics;

/**
 * One named ingredient of a box's score, each worth a value in [0, 1] where 1 is best. A
 * part that lacks the figures it needs is worth {@link #NEUTRAL}, so that a box is
 * neither favoured nor punished for what it did not report.
 * <p>
 * A {@link #measured() measured} part rests on what the entrance's dial-back probes found
 * ({@link Candidate#measured()}); a box without that figure is scored without the part,
 * neither in the mean nor in its reasons, so that boxes nobody probed rank as before.
 * <p>
 * To add a part add one constant here, with its wire name, its default weight (0 keeps
 * existing rankings unchanged until an operator sets one) and its formula; figures that
 * do not come from the heartbeat reach it through {@link Candidate#measured()}, e.g.
 * {@code candidate.measurement(TTFB_MS)}. Settings, scores, reasons and their order all
 * follow from this enum.
 */
public enum RankingPart {

	/**
	 * Closeness of box and audience ({@link Audience#nearness}): {@code 1 / (1 + km /
	 * 1000)} averaged over the audience's regions by share, so 1 in the viewers' city,
	 * about 0.33 at 2 000 km and 0.05 on the far side of the planet; neutral for a box
	 * GeoIP cannot place. Its weight is an exponent: 1 by default, 0 leaves distance out,
	 * 2 makes it count twice as strongly.
	 */
	DISTANCE("distance", 1.0, false) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			return audience.nearness(candidate.box().geoip()).orElse(NEUTRAL);
		}
	},

	/**
	 * The free fraction of the box's store quota, or of its disk when it reports no
	 * quota.
	 */
	STORAGE("storage", 0.15, true) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			BoxMetrics metrics = candidate.box().metrics();
			if (isPositive(metrics.storeMaxBytes()) && metrics.storeUsedBytes() != null) {
				return 1 - (double) metrics.storeUsedBytes() / metrics.storeMaxBytes();
			}
			if (isPositive(metrics.diskTotalGib()) && metrics.diskAvailableGib() != null) {
				return metrics.diskAvailableGib() / metrics.diskTotalGib();
			}
			return NEUTRAL;
		}
	},

	/**
	 * Uplink headroom: 1 minus the bits per second the box serves over the capacity its
	 * owner declared.
	 */
	BANDWIDTH("bandwidth", 0.25, true) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			BoxMetrics metrics = candidate.box().metrics();
			if (!isPositive(metrics.uplinkMbps()) || metrics.servedBytesPerSecond() == null) {
				return NEUTRAL;
			}
			double servedBits = metrics.servedBytesPerSecond() * 8.0;
			return 1 - servedBits / (metrics.uplinkMbps() * 1_000_000);
		}
	},

	/** The idle share of the box's CPU. */
	CPU("cpu", 0.10, true) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			Double idle = candidate.box().metrics().cpuIdle();
			return (idle != null) ? idle / 100 : NEUTRAL;
		}
	},

	/**
	 * How much of the expiry window is left since the last heartbeat: 1 just after it, 0
	 * when the box is about to expire.
	 */
	FRESHNESS("freshness", 0.15, false) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			double window = seconds(Duration.between(candidate.lastSeen(), candidate.expiresAt()));
			double left = seconds(Duration.between(now, candidate.expiresAt()));
			if (window <= 0) {
				return (left > 0) ? 1 : 0;
			}
			return left / window;
		}
	},

	/**
	 * How fast the box's file server answered the entrance's last probe: {@code 1 / (1 +
	 * ms / 100)} of its time to first byte (connecting included), so 0.91 at 10 ms, 0.5
	 * at 100 ms and 0.09 at a second. Measured: left out for a box without a probe.
	 */
	TTFB("ttfb", 0.15, false, RankingPart.TTFB_MS) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			OptionalDouble ttfb = candidate.measurement(TTFB_MS);
			return ttfb.isPresent() ? 1 / (1 + Math.max(0, ttfb.getAsDouble()) / TTFB_SCALE_MS) : NEUTRAL;
		}
	},

	/**
	 * How fast the entrance's last probe read the box's probe object:
	 * {@code mbps / (mbps + 10)}, so 0.5 at 10 Mbit/s and 0.89 at 80 Mbit/s. Measured:
	 * left out for a box without a probe.
	 */
	THROUGHPUT("throughput", 0.15, false, RankingPart.MBPS) {
		@Override
		double value(Candidate candidate, Audience audience, Instant now) {
			OptionalDouble mbps = candidate.measurement(MBPS);
			if (mbps.isEmpty()) {
				return NEUTRAL;
			}
			double rate = Math.max(0, mbps.getAsDouble());
			return rate / (rate + THROUGHPUT_SCALE_MBPS);
		}
	};

	/**
	 * The {@link Candidate#measured() measured figure} holding the time to first byte of
	 * the entrance's last successful probe of the box, in milliseconds.
	 */
	public static final String TTFB_MS = "ttfb-ms";

	/**
	 * The {@link Candidate#measured() measured figure} holding the rate at which the
	 * entrance's last successful probe read the box's probe object, in Mbit/s.
	 */
	public static final String MBPS = "mbps";

	/** The value of a part whose figures are unknown. */
	public static final double NEUTRAL = 0.5;

	/** The time to first byte at which {@link #TTFB} is worth one half. */
	static final double TTFB_SCALE_MS = 100;

	/** The throughput at which {@link #THROUGHPUT} is worth one half. */
	static final double THROUGHPUT_SCALE_MBPS = 10;

	private final String key;

	private final double defaultWeight;

	private final boolean claimed;

	private final String measurement;

	RankingPart(String key, double defaultWeight, boolean claimed) {
		this(key, defaultWeight, claimed, null);
	}

	RankingPart(String key, double defaultWeight, boolean claimed, String measurement) {
		this.key = key;
		this.defaultWeight = defaultWeight;
		this.claimed = claimed;
		this.measurement = measurement;
	}

	/**
	 * Whether the part multiplies the mean of the others, raised to its weight, rather
	 * than taking part in the mean.
	 * @return {@code true} for distance
	 */
	public boolean multiplies() {
		return this == DISTANCE;
	}

	/**
	 * Whether the part rests on a figure the entrance's probes measured, and counts only
	 * for a box that has it.
	 * @return {@code true} for ttfb and throughput
	 */
	public boolean measured() {
		return this.measurement != null;
	}

	/**
	 * Whether the part counts for a box: always, unless it is {@link #measured()} and the
	 * box has no such figure.
	 * @param candidate the box
	 * @return {@code true} when the part takes part in the box's score
	 */
	public boolean appliesTo(Candidate candidate) {
		return this.measurement == null || candidate.measurement(this.measurement).isPresent();
	}

	/**
	 * Whether the part rests on figures the box reports about itself, which the entrance
	 * cannot check; the ranking trusts them only as far as the box earned it (see
	 * {@link BoxRanker}). Distance (the entrance's own GeoIP lookup of the address it
	 * sees) and freshness (when the entrance heard the box) are the entrance's own.
	 * @return {@code true} for storage, bandwidth and CPU
	 */
	public boolean claimed() {
		return this.claimed;
	}

	/**
	 * The part's name in settings and in {@code RANK_REASONS}; frozen once released.
	 * @return e.g. {@code distance}
	 */
	public String key() {
		return this.key;
	}

	/**
	 * The weight the part has unless settings say otherwise.
	 * @return a non-negative weight
	 */
	public double defaultWeight() {
		return this.defaultWeight;
	}

	/**
	 * The part named by a key.
	 * @param key e.g. {@code distance}
	 * @return the part
	 * @throws IllegalArgumentException if no part has that key
	 */
	public static RankingPart ofKey(String key) {
		for (RankingPart part : values()) {
			if (part.key.equals(key)) {
				return part;
			}
		}
		throw new IllegalArgumentException("Unknown ranking part '" + key + "'; known parts: "
				+ Arrays.stream(values()).map(RankingPart::key).collect(Collectors.joining(", ")));
	}

	/**
	 * The part's worth for one box, clipped to [0, 1]; figures that are not finite count
	 * as unknown, since boxes may report anything.
	 * @param candidate the box
	 * @param audience where the boxes should be near
	 * @param now the time of ranking
	 * @return a value in [0, 1]
	 */
	double score(Candidate candidate, Audience audience, Instant now) {
		double value = value(candidate, audience, now);
		if (!Double.isFinite(value)) {
			return NEUTRAL;
		}
		return Math.max(0, Math.min(1, value));
	}

	abstract double value(Candidate candidate, Audience audience, Instant now);

	// Not toMillis(): it overflows for instants centuries apart.
	private static double seconds(Duration duration) {
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	private static boolean isPositive(Number number) {
		return number != null && number.doubleValue() > 0 && Double.isFinite(number.doubleValue());
	}

}
