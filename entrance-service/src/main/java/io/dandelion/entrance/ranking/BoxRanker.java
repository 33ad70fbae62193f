package io.dandelion.entrance.ranking;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dandelion.protocol.GeoLocation;

/**
 * Scores live boxes and picks the ones a SEARCH reply offers. A box's score is the
 * weighted mean of its {@link RankingPart parts} (the {@link RankingPart#measured()
 * measured} ones only when the entrance's probes measured the box, their figures then
 * shown in the reasons too), the figures the box reports about itself trusted only as far
 * as it has been live (see {@link #LIVE_SECONDS}), multiplied by its nearness to the
 * {@link Audience} raised to the distance weight, and by {@link #reportFactor(double)}
 * when publishers reported it. Picking is random but weighted by score, so that good
 * boxes are likely and publishers asking at the same time do not all land on the same few
 * boxes; no reply holds more than {@link RankingSettings#maxPerNetwork()} boxes of one
 * network.
 */
public final class BoxRanker {

	/** Best first; the ID settles ties so that equal scores list in a stable order. */
	static final Comparator<RankedBox> BEST_FIRST = Comparator.comparingDouble(RankedBox::score)
		.reversed()
		.thenComparing(RankedBox::id);

	/**
	 * The {@link Candidate#measured() measured figure} holding how many distinct
	 * publishers reported the box (REPORT) within the window.
	 */
	public static final String REPORTERS = "reporters";

	/**
	 * The {@code RANK_REASONS} name of the box's mean distance to the audience (or the
	 * publisher), weighted by share, in kilometres.
	 */
	public static final String DISTANCE_KM_REASON = "distance_km";

	/** The {@code RANK_REASONS} name of the factor reports multiply a score by. */
	public static final String REPORTS_REASON = "reports";

	/**
	 * The {@link Candidate#measured() measured figure} holding for how many seconds the
	 * box has been live without a break, by the entrance's own clock.
	 */
	public static final String LIVE_SECONDS = "live-s";

	/**
	 * The {@code RANK_REASONS} name of how far the box's own figures are trusted, from 0
	 * (just registered) to 1.
	 */
	public static final String CLAIMS_REASON = "claims_trusted";

	/**
	 * The {@code RANK_REASONS} name of the time to first byte the entrance's last probe
	 * measured, in milliseconds.
	 */
	public static final String MEASURED_TTFB_REASON = "measured_ttfb_ms";

	/**
	 * The {@code RANK_REASONS} name of the throughput the entrance's last probe measured,
	 * in Mbit/s.
	 */
	public static final String MEASURED_MBPS_REASON = "measured_mbps";

	private static final Logger logger = LoggerFactory.getLogger(BoxRanker.class);

	// Scores are shown to 4 decimals; more would be noise from GeoIP and metric rounding.
	private static final double SCALE = 10_000;

	// Even a zero score keeps a tiny chance, so that boxes are drawn in a random order
	// rather than tied when nothing better is left.
	private static final double SCORE_FLOOR = 1e-6;

	private final RankingSettings settings;

	private final Clock clock;

	private final RandomGenerator random;

	/**
	 * Creates a ranker.
	 * @param settings the weights, selectivity and per-network cap
	 * @param clock the clock that says which boxes are fresh or expired
	 * @param random the source of draws; it must be safe for concurrent use when the
	 * ranker is shared, as {@link #threadSafeRandom()} is
	 */
	public BoxRanker(RankingSettings settings, Clock clock, RandomGenerator random) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.random = Objects.requireNonNull(random, "random");
	}

	/**
	 * Creates a ranker on the system clock with {@link #threadSafeRandom()}.
	 * @param settings the weights, selectivity and per-network cap
	 * @return the ranker
	 */
	public static BoxRanker create(RankingSettings settings) {
		return new BoxRanker(settings, Clock.systemUTC(), threadSafeRandom());
	}

	/**
	 * A random generator that any number of threads may share, drawing from each thread's
	 * {@link ThreadLocalRandom}.
	 * @return the generator
	 */
	public static RandomGenerator threadSafeRandom() {
		return () -> ThreadLocalRandom.current().nextLong();
	}

	/**
	 * The settings in use.
	 * @return the settings
	 */
	public RankingSettings settings() {
		return this.settings;
	}

	/**
	 * Scores one box without a publisher, for listings: distance is left out.
	 * @param candidate the box
	 * @return its score and reasons
	 */
	public RankedBox score(Candidate candidate) {
		return score(candidate, Audience.UNKNOWN);
	}

	/**
	 * Scores one box for a publisher without viewers yet.
	 * @param candidate the box
	 * @param publisher where the publisher is; {@code null} if unknown
	 * @return its score and reasons
	 */
	public RankedBox score(Candidate candidate, GeoLocation publisher) {
		return score(candidate, Audience.near(publisher));
	}

	/**
	 * Scores one box for a publisher's audience.
	 * @param candidate the box
	 * @param audience where the boxes should be near
	 * @return its score and reasons
	 */
	public RankedBox score(Candidate candidate, Audience audience) {
		return score(candidate, audience, this.clock.instant());
	}

	/**
	 * Scores every box without a publisher, expired ones included, for listings.
	 * @param candidates the boxes
	 * @return all of them, best first
	 */
	public List<RankedBox> scoreAll(Collection<Candidate> candidates) {
		Instant now = this.clock.instant();
		return candidates.stream()
			.map((candidate) -> score(candidate, Audience.UNKNOWN, now))
			.sorted(BEST_FIRST)
			.toList();
	}

	/**
	 * Picks the boxes for a SEARCH reply: a weighted random sample without replacement
	 * among the boxes that have not expired, each drawn with weight
	 * {@code score ^ selectivity}, skipping boxes whose network already has its share.
	 * When a box appears twice, its latest heartbeat counts.
	 * @param candidates the live boxes
	 * @param publisher where the publisher is; {@code null} if unknown
	 * @param amount the most boxes wanted
	 * @return {@code min(amount, boxes the network cap allows)} distinct boxes, best
	 * first
	 */
	public List<RankedBox> choose(Collection<Candidate> candidates, GeoLocation publisher, int amount) {
		return choose(candidates, Audience.near(publisher), amount);
	}

	/**
	 * Picks the boxes for a SEARCH reply, as
	 * {@link #choose(Collection, GeoLocation, int)} does, near an audience.
	 * @param candidates the live boxes
	 * @param audience where the boxes should be near
	 * @param amount the most boxes wanted
	 * @return {@code min(amount, boxes the network cap allows)} distinct boxes, best
	 * first
	 */
	public List<RankedBox> choose(Collection<Candidate> candidates, Audience audience, int amount) {
		if (amount < 0) {
			throw new IllegalArgumentException("amount must not be negative, not " + amount);
		}
		Instant now = this.clock.instant();
		List<Draw> draws = new ArrayList<>();
		// Draw in ID order so that a seeded generator gives the same reply whatever the
		// order the boxes came from Redis in.
		for (Candidate candidate : latestById(candidates).values()) {
			if (candidate.expiresAt().isAfter(now)) {
				RankedBox ranked = score(candidate, audience, now);
				draws.add(new Draw(ranked, candidate.network(), drawKey(ranked.score())));
			}
		}
		draws.sort(Comparator.comparingDouble(Draw::key));
		Map<String, Integer> perNetwork = new HashMap<>();
		List<RankedBox> chosen = new ArrayList<>();
		for (Draw draw : draws) {
			if (chosen.size() >= amount) {
				break;
			}
			int taken = perNetwork.getOrDefault(draw.network(), 0);
			if (taken < this.settings.maxPerNetwork()) {
				perNetwork.put(draw.network(), taken + 1);
				chosen.add(draw.box());
			}
		}
		chosen.sort(BEST_FIRST);
		logger.debug("Chose {} of {} live boxes (wanted {}) near {}", chosen.size(), draws.size(), amount, audience);
		return List.copyOf(chosen);
	}

	private static Map<String, Candidate> latestById(Collection<Candidate> candidates) {
		Map<String, Candidate> byId = new TreeMap<>();
		for (Candidate candidate : candidates) {
			byId.merge(candidate.id(), candidate,
					(kept, other) -> other.lastSeen().isAfter(kept.lastSeen()) ? other : kept);
		}
		return byId;
	}

	/**
	 * The Efraimidis-Spirakis key {@code u ^ (1 / w)} for weight
	 * {@code w = score ^ selectivity}, taken through two logarithms so that tiny weights
	 * neither underflow nor tie: {@code ln(-ln u) - selectivity * ln(score)}. The lowest
	 * keys win, and taking boxes in key order is a weighted sample without replacement.
	 */
	private double drawKey(double score) {
		// 1 - nextDouble() lies in (0, 1], keeping ln(u) finite.
		double u = 1 - this.random.nextDouble();
		return Math.log(-Math.log(u)) - this.settings.selectivity() * Math.log(Math.max(score, SCORE_FLOOR));
	}

	private RankedBox score(Candidate candidate, Audience audience, Instant now) {
		Map<String, Double> reasons = new LinkedHashMap<>();
		double weighted = 0;
		double totalWeight = 0;
		double nearness = 1;
		double claimsTrust = claimsTrust(candidate);
		for (RankingPart part : RankingPart.values()) {
			if (!part.appliesTo(candidate) || (part.multiplies() && !audience.isKnown())) {
				continue;
			}
			double value = part.score(candidate, audience, now);
			if (part.multiplies()) {
				reasons.put(part.key(), round(value));
				nearness = Math.pow(value, this.settings.weight(part));
				continue;
			}
			if (part.claimed()) {
				value = RankingPart.NEUTRAL + claimsTrust * (value - RankingPart.NEUTRAL);
			}
			double weight = this.settings.weight(part);
			reasons.put(part.key(), round(value));
			weighted += weight * value;
			totalWeight += weight;
		}
		audience.meanKilometres(candidate.box().geoip())
			.ifPresent((km) -> reasons.put(DISTANCE_KM_REASON, (double) Math.round(km)));
		if (round(claimsTrust) < 1) {
			reasons.put(CLAIMS_REASON, round(claimsTrust));
		}
		// The figures behind the measured parts, so that an operator reads what was
		// measured and not only what it was worth
		candidate.measurement(RankingPart.TTFB_MS)
			.ifPresent((ttfb) -> reasons.put(MEASURED_TTFB_REASON, Math.round(ttfb * 10) / 10.0));
		candidate.measurement(RankingPart.MBPS)
			.ifPresent((mbps) -> reasons.put(MEASURED_MBPS_REASON, Math.round(mbps * 10) / 10.0));
		// Settings guarantee a positive total; the clip absorbs rounding.
		double score = Math.max(0, Math.min(1, weighted / totalWeight)) * nearness;
		OptionalDouble reporters = candidate.measurement(REPORTERS);
		if (reporters.isPresent() && reporters.getAsDouble() > 0) {
			double reports = reportFactor(reporters.getAsDouble());
			reasons.put(REPORTS_REASON, round(reports));
			score *= reports;
		}
		return new RankedBox(candidate.box(), round(score), reasons);
	}

	/**
	 * How far the figures a box reports about itself count: in proportion to how long it
	 * has been live, in full after {@link RankingSettings#claimsTrustedAfter()}. Until
	 * then each {@link RankingPart#claimed() claimed} part is drawn towards
	 * {@link RankingPart#NEUTRAL}, so that a box that just registered and claims the best
	 * figures does not rank first on its word alone, and one that claims the worst is not
	 * buried either. A candidate without {@link #LIVE_SECONDS} (one the entrance did not
	 * observe, as in a listing of fixtures) is trusted in full.
	 */
	private double claimsTrust(Candidate candidate) {
		OptionalDouble live = candidate.measurement(LIVE_SECONDS);
		double after = this.settings.claimsTrustedAfter().toMillis() / 1000.0;
		if (live.isEmpty() || after <= 0) {
			return 1;
		}
		return Math.max(0, Math.min(1, live.getAsDouble() / after));
	}

	/**
	 * What reports multiply a box's score by: {@code 1 / (1 + n)} for {@code n} distinct
	 * publishers that reported it, so one halves it, two leave a third. A factor rather
	 * than a weighted part, so that no good figure elsewhere makes up for wrong bytes; by
	 * distinct publishers, so that one publisher reporting a thousand times weighs as
	 * one.
	 * @param reporters the distinct publishers that reported the box within the window
	 * @return a factor in (0, 1]
	 */
	public static double reportFactor(double reporters) {
		return 1 / (1 + Math.max(0, reporters));
	}

	private static double round(double value) {
		return Math.round(value * SCALE) / SCALE;
	}

	private record Draw(RankedBox box, String network, double key) {
	}

}
