package io.dandelion.publisher.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The publisher's Prometheus counters that its features bump as they work: files
 * published by outcome, copies sent to boxes by outcome and their bytes, SEARCHes at the
 * entrances by outcome, and the segments of live playlists by where they send viewers.
 * The gauges (queue, pool, replicas) are read where the state lives ({@code BoxPool},
 * {@code PublishGauges}); the redirects are counted by {@code RedirectHandler}. Every
 * outcome's counter is registered at start, so it shows 0 until the first event.
 */
@Component
public class PublisherMetrics {

	private final Map<FileOutcome, Counter> files = new EnumMap<>(FileOutcome.class);

	private final Map<CopyOutcome, Counter> copies = new EnumMap<>(CopyOutcome.class);

	private final Map<SearchOutcome, Counter> searches = new EnumMap<>(SearchOutcome.class);

	private final Counter copiedBytes;

	private final Counter segmentsToBoxes;

	private final Counter segmentsToOrigin;

	public PublisherMetrics(MeterRegistry registry) {
		for (FileOutcome outcome : FileOutcome.values()) {
			this.files.put(outcome, Counter.builder("dandelion.publisher.files")
				.description("Files published (new, or re-published from a lost box) by outcome: stored on as many "
						+ "boxes as PUBLISH_REPLICAS; partly_stored on fewer; failed on none")
				.tag("outcome", outcome.tag())
				.register(registry));
		}
		for (CopyOutcome outcome : CopyOutcome.values()) {
			this.copies.put(outcome, Counter.builder("dandelion.publisher.copies")
				.description("File frames sent to boxes by outcome: stored (acknowledged with the right SHA-256); "
						+ "refused (a refusal or another SHA-256); failed (no acknowledgement, connection lost)")
				.tag("outcome", outcome.tag())
				.register(registry));
		}
		for (SearchOutcome outcome : SearchOutcome.values()) {
			this.searches.put(outcome, Counter.builder("dandelion.publisher.searches")
				.description("SEARCHes at one entrance by outcome: answered; refused (an error reply); failed (no "
						+ "answer, an unreadable one, the entrance down)")
				.tag("outcome", outcome.tag())
				.register(registry));
		}
		this.copiedBytes = Counter.builder("dandelion.publisher.copied.bytes")
			.description("Bytes of the file copies boxes stored")
			.register(registry);
		this.segmentsToBoxes = segments(registry, "box");
		this.segmentsToOrigin = segments(registry, "origin");
	}

	private static Counter segments(MeterRegistry registry, String target) {
		return Counter.builder("dandelion.publisher.playlist.segments")
			.description("Segment URIs in the live playlists served, by target: box (a box holding it) or origin "
					+ "(the publisher's own /origin/ copy: no live box holds it yet, or its look-up failed)")
			.tag("target", target)
			.register(registry);
	}

	/**
	 * Counts one file whose publishing ended.
	 * @param outcome how it ended
	 */
	public void file(FileOutcome outcome) {
		this.files.get(outcome).increment();
	}

	/**
	 * Counts one copy sent to a box.
	 * @param outcome what the box did with it
	 * @param bytes the file's size, counted when stored
	 */
	public void copy(CopyOutcome outcome, long bytes) {
		this.copies.get(outcome).increment();
		if (outcome == CopyOutcome.STORED) {
			this.copiedBytes.increment(bytes);
		}
	}

	/**
	 * Counts one SEARCH at one entrance.
	 * @param outcome what came of it
	 */
	public void search(SearchOutcome outcome) {
		this.searches.get(outcome).increment();
	}

	/**
	 * Counts the segments of one playlist served.
	 * @param toBoxes segments whose URI names a box
	 * @param toOrigin segments whose URI names the origin
	 */
	public void playlistSegments(int toBoxes, int toOrigin) {
		this.segmentsToBoxes.increment(toBoxes);
		this.segmentsToOrigin.increment(toOrigin);
	}

	/** How publishing one file ended. */
	public enum FileOutcome {

		/** Stored on as many boxes as wanted. */
		STORED,

		/** Stored on some boxes, fewer than wanted. */
		PARTLY_STORED,

		/** Stored on none, or not readable. */
		FAILED;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** What a box did with one copy. */
	public enum CopyOutcome {

		/** Acknowledged with the right SHA-256. */
		STORED,

		/** Refused, or stored other bytes. */
		REFUSED,

		/** No acknowledgement: a timeout, a lost connection. */
		FAILED;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** What came of one SEARCH at one entrance. */
	public enum SearchOutcome {

		/** The entrance answered with boxes (maybe none). */
		ANSWERED,

		/** The entrance answered with an error reply. */
		REFUSED,

		/** No answer, or one that could not be read. */
		FAILED;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
