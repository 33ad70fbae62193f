package io.dandelion.entrance.probe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.ranking.Candidate;
import io.dandelion.entrance.ranking.RankingPart;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.registry.LiveBox;

/**
 * The entrance's dial-back probes of boxes: every period it fetches the probe object of
 * each live box that SEARCH may offer ({@link ProbeClient}), records what it found in
 * Redis ({@link ProbeRepository}), suspends a box after
 * {@link EntranceProperties.Probe#suspendAfter()} failed probes in a row and reinstates
 * it after {@link EntranceProperties.Probe#reinstateAfter()} successful ones, and drops a
 * box suspended longer than {@link EntranceProperties.Probe#dropAfter()}. Entrance
 * processes sharing an ID share the results; a lease per box and period makes one of them
 * probe it. SEARCH leaves suspended boxes out and ranks the others with the figures
 * measured.
 */
public class BoxProbes {

	private static final Logger logger = LoggerFactory.getLogger(BoxProbes.class);

	/** The most suspended boxes one round drops; the next round takes the rest. */
	private static final int DROP_BATCH = 1000;

	private final BoxRepository boxes;

	private final ProbeRepository probes;

	private final ProbeClient client;

	private final EntranceProperties properties;

	private final Clock clock;

	// For the lease's value: which process probes a box, for an operator reading Redis
	private final String owner = "entrance-process-" + UUID.randomUUID();

	private final AtomicLong suspended = new AtomicLong();

	private final Counter succeeded;

	private final Counter failed;

	BoxProbes(BoxRepository boxes, ProbeRepository probes, ProbeClient client, EntranceProperties properties,
			Clock clock, MeterRegistry registry) {
		this.boxes = boxes;
		this.probes = probes;
		this.client = client;
		this.properties = properties;
		this.clock = clock;
		Gauge.builder("dandelion.entrance.boxes.suspended", this.suspended, AtomicLong::get)
			.description("Boxes left out of SEARCH replies for failing the entrance's probes")
			.register(registry);
		this.succeeded = Counter.builder("dandelion.entrance.probes")
			.tag("result", "succeeded")
			.description("Probes of boxes' data ports")
			.register(registry);
		this.failed = Counter.builder("dandelion.entrance.probes")
			.tag("result", "failed")
			.description("Probes of boxes' data ports")
			.register(registry);
	}

	/**
	 * One round: probes every live box this process holds the lease of, then drops the
	 * boxes suspended too long.
	 * @return completes when the round is done
	 */
	public Mono<Void> probeAll() {
		EntranceProperties.Probe settings = this.properties.probe();
		// Shorter than the period, so that whoever comes first in the next period
		// probes the box again
		Duration lease = Duration.ofMillis(Math.max(1, settings.period().toMillis() * 4 / 5));
		return this.boxes.findLive(this.clock.instant(), this.properties.maxSearchCandidates())
			.flatMap((box) -> this.probes.lease(box.id(), this.owner, lease)
				.filter(Boolean::booleanValue)
				.flatMap((leased) -> probe(box, settings)), settings.concurrency())
			.then(Mono.defer(() -> dropSuspended(settings)))
			.then(this.probes.countSuspended())
			.doOnNext(this.suspended::set)
			.then();
	}

	private Mono<ProbeVerdict> probe(LiveBox box, EntranceProperties.Probe settings) {
		return this.client.probe(box.exchange()).flatMap((result) -> {
			(result.succeeded() ? this.succeeded : this.failed).increment();
			// Kept while the box may come back after a drop, so that it comes back
			// suspended
			Duration keep = settings.dropAfter().plus(this.properties.expireBoxTime()).plus(settings.period());
			return this.probes
				.record(box.id(), result, this.clock.instant(), settings.suspendAfter(), settings.reinstateAfter(),
						keep)
				.doOnNext((verdict) -> log(box, result, verdict, settings));
		});
	}

	private void log(LiveBox box, ProbeResult result, ProbeVerdict verdict, EntranceProperties.Probe settings) {
		switch (verdict) {
			case SUSPENDED -> logger.info(
					"Box {} suspended (left out of SEARCH): {} probes of its data port failed in a row, the last: {}",
					box.id(), settings.suspendAfter(), result.problem());
			case REINSTATED -> logger.info(
					"Box {} reinstated: {} probes of its data port succeeded in a row, the last {} ms to first byte{}",
					box.id(), settings.reinstateAfter(), String.format("%.1f", result.ttfbMs()),
					(result.mbps() != null) ? String.format(" at %.1f Mbit/s", result.mbps()) : "");
			case FAILING -> logger.debug("Probe of box {} failed (not suspended yet): {}", box.id(), result.problem());
			default -> logger.debug("Probe of box {}: {} ({} ms to first byte, {} Mbit/s{})", box.id(), verdict,
					result.ttfbMs(), result.mbps(), (result.problem() != null) ? ", " + result.problem() : "");
		}
	}

	private Mono<Void> dropSuspended(EntranceProperties.Probe settings) {
		Instant now = this.clock.instant();
		return this.probes.dropSuspended(now.minus(settings.dropAfter()), DROP_BATCH)
			.doOnNext((boxId) -> logger.info("Box {} dropped: suspended for failing probes for {}", boxId,
					settings.dropAfter()))
			.then();
	}

	/**
	 * The boxes SEARCH may offer: those not suspended, each with the figures its last
	 * successful probe measured ({@link RankingPart#TTFB_MS}, {@link RankingPart#MBPS}).
	 * @param candidates the live boxes
	 * @return the boxes not suspended, in order
	 */
	public Mono<List<Candidate>> searchable(List<Candidate> candidates) {
		return withFigures(candidates, true);
	}

	/**
	 * Every box with the figures its last successful probe measured, for listings.
	 * @param candidates the live boxes
	 * @return the same boxes, in order
	 */
	public Mono<List<Candidate>> measured(List<Candidate> candidates) {
		return withFigures(candidates, false);
	}

	/**
	 * What the probes found of some boxes: suspended or not, and the figures of each
	 * one's last successful probe, for the dashboard.
	 * @param boxIds the boxes
	 * @return box ID to what was found, for the boxes ever probed; empty with probing off
	 */
	public Mono<Map<String, ProbedHealth>> health(Collection<String> boxIds) {
		return this.properties.probe().enabled() ? this.probes.find(boxIds) : Mono.just(Map.of());
	}

	private Mono<List<Candidate>> withFigures(List<Candidate> candidates, boolean withoutSuspended) {
		if (!this.properties.probe().enabled()) {
			return Mono.just(candidates);
		}
		return this.probes.find(candidates.stream().map(Candidate::id).toList())
			.map((found) -> candidates.stream()
				.filter((candidate) -> !withoutSuspended
						|| !found.getOrDefault(candidate.id(), ProbedHealth.UNKNOWN).suspended())
				.map((candidate) -> withFigures(candidate, found.get(candidate.id())))
				.toList());
	}

	private static Candidate withFigures(Candidate candidate, ProbedHealth health) {
		if (health == null || (health.ttfbMs() == null && health.mbps() == null)) {
			return candidate;
		}
		Map<String, Double> measured = new HashMap<>(candidate.measured());
		if (health.ttfbMs() != null) {
			measured.put(RankingPart.TTFB_MS, health.ttfbMs());
		}
		if (health.mbps() != null) {
			measured.put(RankingPart.MBPS, health.mbps());
		}
		return new Candidate(candidate.box(), candidate.lastSeen(), candidate.expiresAt(), measured);
	}

}
