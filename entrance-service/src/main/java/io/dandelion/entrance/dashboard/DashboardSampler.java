package io.dandelion.entrance.dashboard;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.traffic.TrafficRepository;

/**
 * Takes the dashboard's samples. Each period every replica of the entrance adds the
 * heartbeats it accepted to the shared count; the first replica to reach a period then
 * reads the live boxes and what the busiest of them served, and adds the sample under the
 * period's start, which the stream accepts once (the others find it there and stop). Runs
 * of one sampler never overlap (it is a background job), so its own count needs no lock.
 */
class DashboardSampler {

	private static final Logger logger = LoggerFactory.getLogger(DashboardSampler.class);

	private static final String BYTES = "bytes";

	private static final int READ_CONCURRENCY = 16;

	private final DashboardRepository samples;

	private final BoxRepository boxes;

	private final TrafficRepository traffic;

	private final DashboardProperties properties;

	private final int maxBoxes;

	private final LongSupplier exchangesAccepted;

	/** What this process had accepted when it last added to the shared count. */
	private final AtomicLong exchangesAdded = new AtomicLong();

	/**
	 * A sampler.
	 * @param samples where the samples go
	 * @param boxes the live boxes
	 * @param traffic what they served
	 * @param properties the period, history and how many boxes a sample keeps
	 * @param maxBoxes the most live boxes to read (those heard from most recently)
	 * @param exchangesAccepted the heartbeats this process accepted since it started
	 */
	DashboardSampler(DashboardRepository samples, BoxRepository boxes, TrafficRepository traffic,
			DashboardProperties properties, int maxBoxes, LongSupplier exchangesAccepted) {
		this.samples = samples;
		this.boxes = boxes;
		this.traffic = traffic;
		this.properties = properties;
		this.maxBoxes = maxBoxes;
		this.exchangesAccepted = exchangesAccepted;
	}

	/**
	 * Adds this process's heartbeats to the shared count and, unless another replica did,
	 * the sample of the period the given time is in.
	 * @param now the current time
	 * @return {@code true} when this call added the sample
	 */
	Mono<Boolean> sample(Instant now) {
		Instant period = periodStart(now);
		return addExchanges().then(this.samples.latestSampleTime())
			.map((latest) -> latest.isBefore(period))
			.defaultIfEmpty(true)
			.flatMap((due) -> due ? take(period, now) : Mono.just(false));
	}

	/**
	 * The start of the period a time is in: periods are aligned on the epoch, so that
	 * replicas agree on them within their clocks' difference.
	 * @param time a time
	 * @return the period's start
	 */
	Instant periodStart(Instant time) {
		long period = this.properties.samplePeriod().toMillis();
		return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), period) * period);
	}

	private Mono<Long> addExchanges() {
		long accepted = this.exchangesAccepted.getAsLong();
		long delta = accepted - this.exchangesAdded.get();
		if (delta <= 0) {
			return Mono.empty();
		}
		// Only what Redis took counts as added: after a failure the next run adds it
		return this.samples.addExchanges(delta).doOnNext((total) -> this.exchangesAdded.set(accepted));
	}

	private Mono<Boolean> take(Instant period, Instant now) {
		return this.boxes.countLive(now)
			.zipWith(busiestBoxes(now))
			.map((figures) -> new DashboardSample(period, figures.getT1(), 0, figures.getT2()))
			.flatMap((sample) -> this.samples.append(sample, this.properties.history()))
			.doOnNext((added) -> logger.debug("Dashboard sample of {} {}", period,
					added ? "added" : "already added by another replica"));
	}

	private Mono<Map<String, Long>> busiestBoxes(Instant now) {
		return this.boxes.findLiveIds(now, this.maxBoxes)
			.flatMap((boxId) -> this.traffic.totals(boxId)
				.map((totals) -> Map.entry(boxId, totals.getOrDefault(BYTES, 0L))), READ_CONCURRENCY)
			.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.take(this.properties.plottedBoxes())
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
	}

}
