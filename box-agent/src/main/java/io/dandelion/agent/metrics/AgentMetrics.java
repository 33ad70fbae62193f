package io.dandelion.agent.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The box's own Prometheus figures that its features count as they work: files stored and
 * their bytes, file frames refused by reason, heartbeats by outcome, traffic entries
 * waiting for an entrance and dropped over the backlog cap, and whether the file server
 * served the probe file when last checked. The store's quota and the disk's free space
 * are read when scraped ({@code StoreConfiguration}). Each is a counter increment or a
 * field set on its path.
 */
@Component
public class AgentMetrics {

	private final MeterRegistry registry;

	private final Counter filesStored;

	private final Counter bytesStored;

	private final Map<Heartbeat, Counter> heartbeats = new EnumMap<>(Heartbeat.class);

	private final Counter trafficDropped;

	/** -1 until the first heartbeat read the backlog. */
	private final AtomicLong trafficPending = new AtomicLong(-1);

	/** 1 when the file server served the probe at the last check, else 0. */
	private final AtomicLong fileServerServing = new AtomicLong();

	public AgentMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.filesStored = Counter.builder("dandelion.box.files.stored")
			.description("Files stored from publishers' file frames")
			.register(registry);
		this.bytesStored = Counter.builder("dandelion.box.stored.bytes")
			.description("Bytes of the files stored from publishers' file frames")
			.baseUnit("bytes")
			.register(registry);
		for (Heartbeat outcome : Heartbeat.values()) {
			this.heartbeats.put(outcome,
					Counter.builder("dandelion.box.heartbeats")
						.description("EXCHANGE heartbeats to the entrances by outcome: accepted; refused (an error "
								+ "reply, or a reply not ACCEPTED); failed (no connection, no answer in time, an "
								+ "unreadable answer)")
						.tag("outcome", outcome.tag)
						.register(registry));
		}
		this.trafficDropped = Counter.builder("dandelion.box.traffic.entries.dropped")
			.description("Traffic entries dropped unsent because more were waiting than the backlog cap")
			.register(registry);
		Gauge.builder("dandelion.box.traffic.entries.pending", this.trafficPending, AtomicLong::get)
			.description("Traffic entries waiting for an entrance to accept them, as of the last heartbeat "
					+ "(-1 before the first)")
			.register(registry);
		Gauge.builder("dandelion.box.file.server.serving", this.fileServerServing, AtomicLong::get)
			.description(
					"1 when the file server served the box's probe file byte for byte at the last check, " + "else 0")
			.register(registry);
		// A refusal viewers feel and an operator can mend, at 0 from the start
		refusals("QUOTA_EXCEEDED");
		refusals("DISK_RESERVE");
		refusals("WRITE_FAILED");
	}

	private Counter refusals(String reason) {
		return Counter.builder("dandelion.box.frames.refused")
			.description("File frames refused, by the ERROR_CODE of their STORED reply")
			.tag("reason", reason)
			.register(this.registry);
	}

	/**
	 * Counts one file stored.
	 * @param bytes its size
	 */
	public void fileStored(long bytes) {
		this.filesStored.increment();
		this.bytesStored.increment(bytes);
	}

	/**
	 * Counts one file frame refused.
	 * @param reason the {@code ERROR_CODE} of its reply, one of the box's own codes
	 */
	public void frameRefused(String reason) {
		refusals(reason).increment();
	}

	/**
	 * Counts one heartbeat's outcome.
	 * @param outcome what came of it
	 */
	public void heartbeat(Heartbeat outcome) {
		this.heartbeats.get(outcome).increment();
	}

	/**
	 * Records how many traffic entries wait for an entrance.
	 * @param count the backlog
	 */
	public void trafficPending(long count) {
		this.trafficPending.set(count);
	}

	/**
	 * Counts traffic entries dropped over the backlog cap.
	 * @param count how many
	 */
	public void trafficDropped(long count) {
		this.trafficDropped.increment(count);
	}

	/**
	 * Records what the last check of the file server found.
	 * @param served whether it served the probe file
	 */
	public void fileServerServing(boolean served) {
		this.fileServerServing.set(served ? 1 : 0);
	}

	/** What came of one heartbeat. */
	public enum Heartbeat {

		/** The entrance answered ACCEPTED. */
		ACCEPTED("accepted"),

		/** The entrance answered with an error reply, or without ACCEPTED. */
		REFUSED("refused"),

		/** No connection, no answer in time, or an answer that could not be read. */
		FAILED("failed");

		private final String tag;

		Heartbeat(String tag) {
			this.tag = tag;
		}

	}

}
