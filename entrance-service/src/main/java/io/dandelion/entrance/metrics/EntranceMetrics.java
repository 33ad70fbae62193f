package io.dandelion.entrance.metrics;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The entrance's Prometheus figures: live boxes, exchanges, searches and reports served,
 * boxes expired, boxes left out of SEARCH replies too long to send whole, and messages
 * rejected by reason.
 */
@Component
public class EntranceMetrics {

	private final MeterRegistry registry;

	private final AtomicLong liveBoxes = new AtomicLong();

	private final Counter exchanges;

	private final Counter searches;

	private final Counter expired;

	private final Counter reports;

	private final Counter leftOut;

	public EntranceMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("dandelion.entrance.boxes.live", this.liveBoxes, AtomicLong::get)
			.description("Boxes whose last heartbeat has not expired")
			.register(registry);
		this.exchanges = Counter.builder("dandelion.entrance.exchanges")
			.description("EXCHANGE heartbeats accepted")
			.register(registry);
		this.searches = Counter.builder("dandelion.entrance.searches")
			.description("SEARCH requests answered")
			.register(registry);
		this.expired = Counter.builder("dandelion.entrance.boxes.expired")
			.description("Boxes dropped because they stopped heartbeating")
			.register(registry);
		this.reports = Counter.builder("dandelion.entrance.reports")
			.description("REPORTs of boxes that served wrong bytes, accepted")
			.register(registry);
		this.leftOut = Counter.builder("dandelion.entrance.search.boxes.left.out")
			.description("Boxes left out of SEARCH replies that would have been longer than a publisher reads")
			.register(registry);
	}

	/** Counts one accepted heartbeat. */
	public void exchangeAccepted() {
		this.exchanges.increment();
	}

	/** Counts one answered SEARCH. */
	public void searchAnswered() {
		this.searches.increment();
	}

	/**
	 * Counts boxes left out of a SEARCH reply to keep it short enough.
	 * @param count how many
	 */
	public void searchBoxesLeftOut(int count) {
		this.leftOut.increment(count);
	}

	/** Counts one accepted REPORT. */
	public void reportAccepted() {
		this.reports.increment();
	}

	/** Counts one box dropped by the sweeper. */
	public void boxExpired() {
		this.expired.increment();
	}

	/**
	 * Records the number of live boxes.
	 * @param count the count
	 */
	public void liveBoxes(long count) {
		this.liveBoxes.set(count);
	}

	/**
	 * Counts one refused message.
	 * @param reason the {@code ERROR_CODE} it was refused with
	 */
	public void rejected(String reason) {
		Counter.builder("dandelion.entrance.messages.rejected")
			.description("Messages refused with an ERROR reply")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

}
