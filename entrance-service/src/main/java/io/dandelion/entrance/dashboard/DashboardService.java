package io.dandelion.entrance.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.api.BoxListingService;
import io.dandelion.entrance.api.BoxResponse;
import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.protocol.identity.NodeId;

/**
 * Builds what the dashboard shows: the live boxes with their status and measured
 * capacity, and the plots from the samples; for an open dashboard, a snapshot and then an
 * update every sample period.
 */
@Service
class DashboardService {

	private final BoxListingService boxes;

	private final MeasuredCapacityReader measured;

	private final DashboardRepository samples;

	private final DashboardProperties properties;

	private final Duration expireBoxTime;

	private final String entranceId;

	private final Clock clock;

	DashboardService(BoxListingService boxes, MeasuredCapacityReader measured, DashboardRepository samples,
			DashboardProperties properties, EntranceProperties entrance, NodeId nodeId, Clock clock) {
		this.boxes = boxes;
		this.measured = measured;
		this.samples = samples;
		this.properties = properties;
		this.expireBoxTime = entrance.expireBoxTime();
		this.entranceId = nodeId.value();
		this.clock = clock;
	}

	/**
	 * The dashboard now, with every sample kept.
	 * @return the snapshot
	 */
	Mono<DashboardSnapshot> snapshot() {
		return snapshot(this.samples.latest(this.properties.history()).collectList(), false);
	}

	/**
	 * What an open dashboard is sent: the snapshot, then every sample period the boxes
	 * and the samples taken since the previous event.
	 * @return the snapshots, endless
	 */
	Flux<DashboardSnapshot> updates() {
		return Flux.defer(() -> {
			AtomicReference<Instant> lastSent = new AtomicReference<>();
			Duration period = this.properties.samplePeriod();
			Flux<DashboardSnapshot> later = Flux.interval(period, period)
				.onBackpressureDrop()
				.concatMap((tick) -> update(lastSent.get()));
			return snapshot().concatWith(later).doOnNext((snapshot) -> remember(snapshot, lastSent));
		});
	}

	private Mono<DashboardSnapshot> update(Instant lastSent) {
		if (lastSent == null) {
			return snapshot();
		}
		// From the last sample sent, which is the base of the next one's rates
		return snapshot(this.samples.since(lastSent, this.properties.history() + 1).collectList(), true);
	}

	private static void remember(DashboardSnapshot snapshot, AtomicReference<Instant> lastSent) {
		List<Double> times = snapshot.series().times();
		if (!times.isEmpty()) {
			lastSent.set(Instant.ofEpochMilli(Math.round(times.get(times.size() - 1) * 1000)));
		}
	}

	private Mono<DashboardSnapshot> snapshot(Mono<List<DashboardSample>> samples, boolean skipFirst) {
		Instant now = this.clock.instant();
		return rows(now).zipWith(samples)
			.map((found) -> new DashboardSnapshot(this.entranceId, now,
					this.properties.samplePeriod().toMillis() / 1000.0, this.properties.history(), found.getT1(),
					DashboardSeries.of(found.getT2(), skipFirst)));
	}

	private Mono<List<DashboardBox>> rows(Instant now) {
		return this.boxes.live()
			.collectList()
			.flatMap((live) -> this.measured.read(live.stream().map(BoxResponse::id).toList())
				.map((measured) -> live.stream()
					.map((box) -> DashboardBox.of(box, measured.get(box.id()), now, this.expireBoxTime))
					.toList()));
	}

}
