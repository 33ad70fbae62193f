package io.dandelion.agent.traffic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.failure.FailureLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Follows the file server's access log and turns each served request into a traffic
 * entry. Unlike the original it never deletes the log: it notices rotation (the path now
 * names another file) and truncation (the file shrank) and starts again at the new
 * beginning, and it keeps its position in Redis together with the entries read, so that a
 * restart neither skips nor re-counts lines. A background job of the box: it reads every
 * {@code box.traffic.poll-interval}, from start.
 */
@Component
class AccessLogTailer implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(AccessLogTailer.class);

	// A Redis outage fails every round: FailureLog says so once a minute, not at each
	private static final FailureLog failures = new FailureLog(logger);

	/** Lines per step: one Redis script call, so a bounded number of arguments. */
	private static final int MAX_LINES_PER_STEP = 500;

	private static final int CHUNK_BYTES = 256 * 1024;

	/** Bytes remembered before the offset, to notice a log truncated and refilled. */
	private static final int TAIL_BYTES = 64;

	private static final byte[] NO_BYTES = new byte[0];

	private final Path path;

	private final TrafficRepository repository;

	private final ServedBytes served;

	private final int maxPending;

	private final BackgroundJob periodic;

	private final AgentMetrics metrics;

	// Touched only by the sequential poll loop (one step at a time)
	private FileChannel channel;

	private String fileKey;

	private long offset;

	private byte[] tail = NO_BYTES;

	private LogPosition saved;

	private boolean restored;

	AccessLogTailer(BoxProperties properties, TrafficRepository repository, ServedBytes served, AgentMetrics metrics) {
		this.path = properties.accessLog();
		this.repository = repository;
		this.served = served;
		this.metrics = metrics;
		this.maxPending = properties.traffic().maxPending();
		this.periodic = BackgroundJob.every(name(), properties.traffic().pollInterval(), this::pollOrWarn);
	}

	@Override
	public String name() {
		return "access log reader";
	}

	@Override
	public String description() {
		return this.periodic.description();
	}

	/**
	 * Reads the log every poll interval, from now until cancelled, and closes it then.
	 * @return the loop, completing never
	 */
	@Override
	public Flux<?> run() {
		logger.info("Reading traffic from {}", this.path);
		return this.periodic.run().doFinally((signal) -> closeQuietly());
	}

	/** One poll of the loop: a failed one is logged, and retried at the next. */
	private Mono<Long> pollOrWarn() {
		return poll().onErrorResume((ex) -> {
			failures.failed("Reading the access log " + this.path + " failed", "trying again", ex);
			return Mono.empty();
		});
	}

	/**
	 * Reads everything new in the log.
	 * @return the number of traffic entries stored
	 */
	Mono<Long> poll() {
		Mono<Void> restore = this.restored ? Mono.empty()
				: this.repository.position()
					.doOnNext((position) -> this.saved = position)
					.then(Mono.fromRunnable(() -> {
						this.restored = true;
					}));
		return restore
			.then(Mono.defer(this::step).repeat().takeUntil(Step::atEnd).map(Step::stored).reduce(0L, Long::sum));
	}

	/** Reads at most one step's lines off the event loop, stores them, then moves on. */
	private Mono<Step> step() {
		return Mono.fromCallable(this::read).subscribeOn(Schedulers.boundedElastic()).flatMap((read) -> {
			if (!read.positionChanged()) {
				return Mono.just(new Step(true, 0));
			}
			LogPosition position = new LogPosition(this.fileKey, read.offsetAfter(),
					Base64.getEncoder().encodeToString(read.tailAfter()));
			return this.repository.append(read.entries(), position, this.maxPending).map((dropped) -> {
				if (dropped > 0) {
					this.metrics.trafficDropped(dropped);
					logger.warn("Dropped the {} oldest traffic entries: more than {} were waiting for an entrance",
							dropped, this.maxPending);
				}
				// Only now that Redis holds them may the position move on
				this.offset = read.offsetAfter();
				this.tail = read.tailAfter();
				this.served.add(read.bytesSent());
				return new Step(read.atEnd(), read.entries().size());
			});
		});
	}

	private Read read() throws IOException {
		if (this.channel == null && !open()) {
			return Read.NOTHING;
		}
		long size = this.channel.size();
		if (size < this.offset || !endsWith(this.offset, this.tail)) {
			logger.info("Access log {} was truncated; reading it from the beginning", this.path);
			this.offset = 0;
			this.tail = NO_BYTES;
			return new Read(List.of(), 0, NO_BYTES, 0, false, true);
		}
		if (size > this.offset) {
			Read read = readLines(size);
			if (read.positionChanged()) {
				return read;
			}
		}
		// At the end of the file we hold (or before a line not yet complete):
		// has the path moved on to another file?
		String current = fileKey(this.path);
		if (current != null && !current.equals(this.fileKey)) {
			logger.info("Access log {} was rotated; reading the new file from the beginning", this.path);
			closeQuietly();
			open();
			return new Read(List.of(), 0, NO_BYTES, 0, false, true);
		}
		return Read.NOTHING;
	}

	private boolean open() throws IOException {
		FileChannel opened;
		try {
			opened = FileChannel.open(this.path, StandardOpenOption.READ);
		}
		catch (NoSuchFileException ex) {
			logger.debug("No access log at {} yet", this.path);
			return false;
		}
		this.channel = opened;
		this.fileKey = fileKey(this.path);
		this.offset = 0;
		this.tail = NO_BYTES;
		if (this.saved != null) {
			// The first file opened after a start: resume where the last run
			// stopped if it is the same file and still holds what was read;
			// otherwise it is a new one
			byte[] savedTail = Base64.getDecoder().decode(this.saved.tail());
			if (this.saved.fileKey().equals(this.fileKey) && this.saved.offset() <= opened.size()
					&& endsWith(this.saved.offset(), savedTail)) {
				this.offset = this.saved.offset();
				this.tail = savedTail;
				logger.info("Resuming the access log {} at byte {}", this.path, this.offset);
			}
			else {
				logger.info("Access log {} is not the one read last time; reading it from the beginning", this.path);
			}
			this.saved = null;
		}
		return true;
	}

	private Read readLines(long size) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, size - this.offset));
		while (buffer.hasRemaining() && this.channel.read(buffer, this.offset + buffer.position()) > 0) {
			// read until full or end of file
		}
		byte[] bytes = buffer.array();
		int length = buffer.position();
		List<TrafficEntry> entries = new ArrayList<>();
		long bytesSent = 0;
		int start = 0;
		int lines = 0;
		for (int i = 0; i < length && lines < MAX_LINES_PER_STEP; i++) {
			if (bytes[i] == '\n') {
				AccessLogLine line = AccessLogLine.parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
				if (line == null) {
					logger.debug("Skipped an access log line not in the dandelion format");
				}
				else {
					bytesSent += line.bytesSent();
					TrafficEntry entry = entry(line);
					if (entry != null) {
						entries.add(entry);
					}
				}
				start = i + 1;
				lines++;
			}
		}
		if (start == 0 && length == CHUNK_BYTES) {
			// A "line" longer than a chunk is not a log line: skip it rather than stall
			logger.warn("Skipped {} bytes of the access log {} holding no line end", length, this.path);
			return new Read(List.of(), this.offset + length, Arrays.copyOfRange(bytes, length - TAIL_BYTES, length), 0,
					false, true);
		}
		// Even at the end of the file, look once more: the log may have been rotated
		return new Read(entries, this.offset + start, tailBefore(bytes, start), bytesSent, false, start > 0);
	}

	/** The last bytes before {@code end} of the buffer, continuing the current tail. */
	private byte[] tailBefore(byte[] bytes, int end) {
		if (end >= TAIL_BYTES) {
			return Arrays.copyOfRange(bytes, end - TAIL_BYTES, end);
		}
		byte[] joined = new byte[Math.min(TAIL_BYTES, this.tail.length + end)];
		int fromTail = joined.length - end;
		System.arraycopy(this.tail, this.tail.length - fromTail, joined, 0, fromTail);
		System.arraycopy(bytes, 0, joined, fromTail, end);
		return joined;
	}

	/** Whether the open file holds these bytes just before the offset. */
	private boolean endsWith(long offset, byte[] expected) throws IOException {
		if (expected.length == 0) {
			return true;
		}
		if (offset < expected.length) {
			return false;
		}
		ByteBuffer buffer = ByteBuffer.allocate(expected.length);
		long position = offset - expected.length;
		while (buffer.hasRemaining()) {
			int read = this.channel.read(buffer, position + buffer.position());
			if (read < 0) {
				return false;
			}
		}
		return Arrays.equals(buffer.array(), expected);
	}

	private static TrafficEntry entry(AccessLogLine line) {
		if (!line.successful()) {
			return null;
		}
		try {
			return new TrafficEntry("log-" + UUID.randomUUID().toString().replace("-", ""), line.url(), line.status(),
					line.bytesSent(), line.datetime());
		}
		catch (IllegalArgumentException ex) {
			logger.debug("Skipped an access log line: {}", ex.getMessage());
			return null;
		}
	}

	private static String fileKey(Path path) throws IOException {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(path, BasicFileAttributes.class);
		}
		catch (NoSuchFileException ex) {
			// Rotated away and not created again yet: no file to name
			return null;
		}
		// Device and inode where the platform has them; creation time elsewhere
		Object key = attributes.fileKey();
		return (key != null) ? key.toString() : "created-" + attributes.creationTime().toMillis();
	}

	private void closeQuietly() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				logger.debug("Closing the access log failed: {}", ex.toString());
			}
			this.channel = null;
		}
	}

	/**
	 * What one read found.
	 *
	 * @param entries the traffic entries of the lines read
	 * @param offsetAfter the offset after the last whole line read
	 * @param tailAfter the last bytes before that offset
	 * @param bytesSent the bytes sent by all requests read
	 * @param atEnd whether nothing more is to be read now
	 * @param positionChanged whether there is anything to store
	 */
	private record Read(List<TrafficEntry> entries, long offsetAfter, byte[] tailAfter, long bytesSent, boolean atEnd,
			boolean positionChanged) {

		static final Read NOTHING = new Read(List.of(), 0, NO_BYTES, 0, true, false);

	}

	private record Step(boolean atEnd, long stored) {

	}

}
