package io.dandelion.entrance.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The entrance's Prometheus figures: live boxes, each EXCHANGE, SEARCH and REPORT by
 * outcome, boxes expired, boxes left out of SEARCH replies too long to send whole, and
 * messages rejected by reason. Counters of the usual outcomes are registered at start, so
 * that they show 0 before the first request and a rate over them is defined.
 */
@Component
public class EntranceMetrics {

	private final MeterRegistry registry;

	private final AtomicLong liveBoxes = new AtomicLong();

	private final Map<Command, Counter> answered = new EnumMap<>(Command.class);

	private final Counter expired;

	private final Counter leftOut;

	public EntranceMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("dandelion.entrance.boxes.live", this.liveBoxes, AtomicLong::get)
			.description("Boxes whose last heartbeat has not expired, as of the last sweep")
			.register(registry);
		// The refusals an operator alerts on, at 0 from the start too
		for (Command command : Command.values()) {
			this.answered.put(command, request(command, command.answered));
			request(command, "UNAUTHENTICATED");
			request(command, "UNAVAILABLE");
		}
		request(Command.EXCHANGE, "RATE_LIMITED");
		this.expired = Counter.builder("dandelion.entrance.boxes.expired")
			.description("Boxes dropped because they stopped heartbeating")
			.register(registry);
		this.leftOut = Counter.builder("dandelion.entrance.search.boxes.left.out")
			.description("Boxes left out of SEARCH replies that would have been longer than a publisher reads")
			.register(registry);
	}

	private Counter request(Command command, String outcome) {
		return Counter.builder(command.meterName)
			.description(command.description)
			.tag("outcome", outcome)
			.register(this.registry);
	}

	/**
	 * Counts one request answered with its reply.
	 * @param command which request
	 */
	public void answered(Command command) {
		this.answered.get(command).increment();
	}

	/**
	 * The requests this process answered since it started (an EXCHANGE is answered once
	 * it is stored).
	 * @param command which request
	 * @return the running count
	 */
	public long answeredSoFar(Command command) {
		return (long) this.answered.get(command).count();
	}

	/**
	 * Counts one request refused with an {@code ERROR} reply; {@link #rejected} counts it
	 * too.
	 * @param command which request
	 * @param code the {@code ERROR_CODE} it was refused with, one of the entrance's own
	 * codes (never text of the request)
	 */
	public void refused(Command command, String code) {
		request(command, code).increment();
	}

	/**
	 * Counts boxes left out of a SEARCH reply to keep it short enough.
	 * @param count how many
	 */
	public void searchBoxesLeftOut(int count) {
		this.leftOut.increment(count);
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
	 * Counts one refused message, whatever it was, also one that could not be read.
	 * @param reason the {@code ERROR_CODE} it was refused with
	 */
	public void rejected(String reason) {
		Counter.builder("dandelion.entrance.messages.rejected")
			.description("Messages refused with an ERROR reply")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	/**
	 * The requests the entrance answers, each counted by outcome in a meter of its own.
	 */
	public enum Command {

		/**
		 * A box's heartbeat: {@code stored}, or the {@code ERROR_CODE} it was refused
		 * with.
		 */
		EXCHANGE("dandelion.entrance.exchanges", "stored",
				"EXCHANGE heartbeats by outcome: stored, or the ERROR_CODE they were refused with"),

		/** A publisher's search: {@code answered}, or the {@code ERROR_CODE}. */
		SEARCH("dandelion.entrance.searches", "answered",
				"SEARCH requests by outcome: answered, or the ERROR_CODE they were refused with"),

		/** A publisher's report of a box: {@code accepted}, or the {@code ERROR_CODE}. */
		REPORT("dandelion.entrance.reports", "accepted",
				"REPORTs of boxes that served wrong bytes by outcome: accepted, or the ERROR_CODE they were refused with");

		private final String meterName;

		private final String answered;

		private final String description;

		Command(String meterName, String answered, String description) {
			this.meterName = meterName;
			this.answered = answered;
			this.description = description;
		}

	}

}
