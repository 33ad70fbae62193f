package io.dandelion.publisher.audience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.publisher.config.PublisherProperties;

/**
 * Where the publisher's viewers are lately: every viewer request GeoIP places
 * ({@code /r/} and playlists) counts for the coarse latitude/longitude cell it falls in,
 * and a count loses half its weight every half-life, so the summary follows the audience
 * as it moves. Counting is a map look-up and an increment, cheap enough for every
 * redirect; the summary the SEARCHes carry ({@code AUDIENCE}) is worked out at most once
 * a second. Thread-safe.
 */
public final class ViewerAudience {

	private static final Logger logger = LoggerFactory.getLogger(ViewerAudience.class);

	/** How long a summary is reused before the counts are folded in again. */
	private static final Duration SUMMARY_REUSE = Duration.ofSeconds(1);

	/** Weights below this are dropped: a region nobody has asked from for long. */
	private static final double FORGOTTEN_WEIGHT = 0.01;

	private final PublisherProperties.Audience settings;

	private final Clock clock;

	/**
	 * Requests counted since the last fold, by cell; a cell stays once seen, so that no
	 * count is lost to a removal racing an increment (there are at most 64 800 cells of
	 * one degree).
	 */
	private final Map<Cell, LongAdder> pending = new ConcurrentHashMap<>();

	/** Decayed weights by cell, as of {@link #foldedAt}; guarded by this object. */
	private final Map<Cell, Double> weights = new HashMap<>();

	private Instant foldedAt;

	private Summary summary = new Summary(List.of(), 0);

	/** The regions last logged, so that a change is said once. */
	private List<Cell> loggedRegions = List.of();

	/**
	 * An audience with nobody in it yet.
	 * @param settings how it counts
	 * @param clock the clock of the half-life
	 */
	public ViewerAudience(PublisherProperties.Audience settings, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.foldedAt = clock.instant();
	}

	/**
	 * Counts one viewer request.
	 * @param viewer where GeoIP placed the viewer; nothing is counted without coordinates
	 */
	public void record(GeoLocation viewer) {
		if (!this.settings.enabled() || viewer == null || !viewer.hasCoordinates()) {
			return;
		}
		Cell cell = Cell.of(viewer.latitude(), viewer.longitude(), this.settings.cellDegrees());
		this.pending.computeIfAbsent(cell, (key) -> new LongAdder()).increment();
	}

	/**
	 * The audience as a SEARCH names it: the largest regions, at most
	 * {@code max-regions}, each with at least {@code min-share} of the recent requests,
	 * their shares summing to 1.
	 * @return the regions, largest first; empty while nobody watched lately
	 */
	public List<AudienceShare> regions() {
		return current().regions();
	}

	/**
	 * The audience with the weight of the requests behind it, for the audience API.
	 * @return the summary
	 */
	public synchronized Summary current() {
		Instant now = this.clock.instant();
		if (Duration.between(this.foldedAt, now).compareTo(SUMMARY_REUSE) >= 0) {
			fold(now);
			this.summary = summarise();
			logChange();
		}
		return this.summary;
	}

	private void fold(Instant now) {
		double elapsed = Math.max(0, Duration.between(this.foldedAt, now).toMillis());
		double decay = Math.pow(0.5, elapsed / Math.max(1, this.settings.halfLife().toMillis()));
		this.weights.replaceAll((cell, weight) -> weight * decay);
		this.pending.forEach((cell, count) -> {
			long counted = count.sumThenReset();
			if (counted > 0) {
				this.weights.merge(cell, (double) counted, Double::sum);
			}
		});
		this.weights.values().removeIf((weight) -> weight < FORGOTTEN_WEIGHT);
		this.foldedAt = now;
	}

	private Summary summarise() {
		double total = this.weights.values().stream().mapToDouble(Double::doubleValue).sum();
		if (total <= 0) {
			return new Summary(List.of(), 0);
		}
		List<Map.Entry<Cell, Double>> largest = new ArrayList<>(this.weights.entrySet());
		largest.sort(Map.Entry.<Cell, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
		List<Map.Entry<Cell, Double>> kept = largest.stream()
			.limit(this.settings.maxRegions())
			.filter((entry) -> entry.getValue() / total >= this.settings.minShare())
			.toList();
		double keptTotal = kept.stream().mapToDouble(Map.Entry::getValue).sum();
		List<AudienceShare> regions = new ArrayList<>();
		for (Map.Entry<Cell, Double> entry : kept) {
			// Three decimals: enough to weigh regions, and a summary that changes only
			// when the audience does
			double share = Math.max(0.001, Math.min(1, Math.round(entry.getValue() / keptTotal * 1000) / 1000.0));
			regions.add(new AudienceShare(entry.getKey().centreLatitude(this.settings.cellDegrees()),
					entry.getKey().centreLongitude(this.settings.cellDegrees()), share));
		}
		return new Summary(List.copyOf(regions), Math.round(total * 10) / 10.0);
	}

	private void logChange() {
		List<Cell> regions = this.summary.regions()
			.stream()
			.map((region) -> Cell.of(region.latitude(), region.longitude(), this.settings.cellDegrees()))
			.toList();
		if (!regions.equals(this.loggedRegions)) {
			this.loggedRegions = regions;
			logger.info("Audience now in {} region(s): {}", regions.size(), describe(this.summary.regions()));
		}
	}

	private static String describe(List<AudienceShare> regions) {
		StringBuilder text = new StringBuilder();
		for (AudienceShare region : regions) {
			if (!text.isEmpty()) {
				text.append(", ");
			}
			text.append(Math.round(region.share() * 100))
				.append(" % near ")
				.append(region.latitude())
				.append(',')
				.append(region.longitude());
		}
		return text.isEmpty() ? "nobody lately" : text.toString();
	}

	/**
	 * The audience at one moment.
	 *
	 * @param regions the regions a SEARCH names, largest first
	 * @param recentRequests the decayed count of the viewer requests behind them
	 */
	public record Summary(List<AudienceShare> regions, double recentRequests) {

	}

	/** A latitude/longitude cell of the grid, by its south-west corner's indices. */
	record Cell(int latitudeIndex, int longitudeIndex) implements Comparable<Cell> {

		static Cell of(double latitude, double longitude, double degrees) {
			return new Cell((int) Math.floor(latitude / degrees), (int) Math.floor(longitude / degrees));
		}

		double centreLatitude(double degrees) {
			return Math.max(-90, Math.min(90, fourDecimals((this.latitudeIndex + 0.5) * degrees)));
		}

		double centreLongitude(double degrees) {
			return Math.max(-180, Math.min(180, fourDecimals((this.longitudeIndex + 0.5) * degrees)));
		}

		private static double fourDecimals(double degrees) {
			return Math.round(degrees * 10_000) / 10_000.0;
		}

		@Override
		public int compareTo(Cell other) {
			return Comparator.comparingInt(Cell::latitudeIndex)
				.thenComparingInt(Cell::longitudeIndex)
				.compare(this, other);
		}

	}

}
