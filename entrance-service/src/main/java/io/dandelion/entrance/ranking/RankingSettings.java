package io.dandelion.entrance.ranking;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the entrance weighs and picks boxes for SEARCH. Weights are relative (the score is
 * their weighted mean), so only their ratios matter, except distance's: it is the
 * exponent of the nearness that multiplies that mean ({@link RankingPart#DISTANCE}).
 *
 * @param weights weight by {@link RankingPart#key() part key}; parts left out keep their
 * {@link RankingPart#defaultWeight() default}, so the map always holds every part, in
 * part order; {@code null} for all defaults
 * @param selectivity the exponent applied to scores when drawing boxes: 0 draws uniformly
 * at random, higher values favour the best boxes more and more strongly
 * @param maxPerNetwork the most boxes one reply may hold from one IPv4 /24 or IPv6 /48,
 * so that a publisher's copies do not all sit behind the same household or ISP link
 * @param claimsTrustedAfter how long a box must have been live before the figures it
 * reports about itself ({@link RankingPart#claimed()}) count in full
 */
public record RankingSettings(Map<String, Double> weights, double selectivity, int maxPerNetwork,
		Duration claimsTrustedAfter) {

	/** The default {@link #selectivity()}. */
	public static final double DEFAULT_SELECTIVITY = 3.0;

	/** The default {@link #maxPerNetwork()}. */
	public static final int DEFAULT_MAX_PER_NETWORK = 4;

	/** The default {@link #claimsTrustedAfter()}. */
	public static final Duration DEFAULT_CLAIMS_TRUSTED_AFTER = Duration.ofMinutes(10);

	public RankingSettings {
		Map<RankingPart, Double> merged = new EnumMap<>(RankingPart.class);
		for (RankingPart part : RankingPart.values()) {
			merged.put(part, part.defaultWeight());
		}
		if (weights != null) {
			// ofKey rejects unknown names: a configuration typo must not pass silently.
			weights.forEach((key, weight) -> merged.put(RankingPart.ofKey(key), weight));
		}
		// Measured parts are left out for boxes nobody probed: the others alone must
		// weigh something, or such a box's score would be 0 / 0
		double total = 0;
		Map<String, Double> byKey = new LinkedHashMap<>();
		for (Map.Entry<RankingPart, Double> entry : merged.entrySet()) {
			Double weight = entry.getValue();
			if (weight == null || !Double.isFinite(weight) || weight < 0) {
				throw new IllegalArgumentException(
						"Ranking weight '" + entry.getKey().key() + "' must be a finite number >= 0, not " + weight);
			}
			if (!entry.getKey().measured() && !entry.getKey().multiplies()) {
				total += weight;
			}
			byKey.put(entry.getKey().key(), weight);
		}
		if (total <= 0) {
			throw new IllegalArgumentException(
					"At least one ranking weight of a part that is neither measured nor distance must be positive: "
							+ byKey);
		}
		if (!Double.isFinite(selectivity) || selectivity < 0) {
			throw new IllegalArgumentException("Ranking selectivity must be a finite number >= 0, not " + selectivity);
		}
		if (maxPerNetwork < 1) {
			throw new IllegalArgumentException("Ranking max-per-network must be at least 1, not " + maxPerNetwork);
		}
		if (claimsTrustedAfter == null || claimsTrustedAfter.isNegative()) {
			throw new IllegalArgumentException(
					"Ranking claims-trusted-after must be a duration >= 0, not " + claimsTrustedAfter);
		}
		weights = Collections.unmodifiableMap(byKey);
	}

	/**
	 * Settings that trust boxes' own figures after the default time.
	 * @param weights weight by part key, {@code null} for all defaults
	 * @param selectivity the exponent applied to scores when drawing
	 * @param maxPerNetwork the most boxes one reply may hold from one network
	 */
	public RankingSettings(Map<String, Double> weights, double selectivity, int maxPerNetwork) {
		this(weights, selectivity, maxPerNetwork, DEFAULT_CLAIMS_TRUSTED_AFTER);
	}

	/**
	 * The default settings: bandwidth .25, storage .15, freshness .15, cpu .10, and for
	 * probed boxes ttfb .15 and throughput .15, their mean multiplied by the nearness to
	 * the audience (distance exponent 1), selectivity 3, 4 boxes per network, boxes' own
	 * figures trusted after 10 minutes live.
	 * @return the settings
	 */
	public static RankingSettings defaults() {
		return new RankingSettings(null, DEFAULT_SELECTIVITY, DEFAULT_MAX_PER_NETWORK);
	}

	/**
	 * The weight of one part.
	 * @param part the part
	 * @return its weight, {@code >= 0}
	 */
	public double weight(RankingPart part) {
		return this.weights.get(part.key());
	}

}
