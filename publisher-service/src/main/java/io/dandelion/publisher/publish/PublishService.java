package io.dandelion.publisher.publish;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.StoredAck;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.metrics.PublisherMetrics;
import io.dandelion.publisher.metrics.PublisherMetrics.CopyOutcome;
import io.dandelion.publisher.metrics.PublisherMetrics.FileOutcome;
import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.publisher.pool.BoxSender;
import io.dandelion.publisher.publish.FrameReader.FileProblem;
import io.dandelion.publisher.publish.FrameReader.Frame;
import io.dandelion.support.failure.RedisUnavailable;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.stereotype.Service;

/**
 * Publishes one queued file under its public name: reads and hashes the local file, sends
 * it to {@code PUBLISH_REPLICAS} distinct boxes (distinct /24 networks when possible) and
 * records every box that acknowledged it with the right SHA-256. With too few boxes the
 * file waits and is retried, up to {@code PUBLISHER_MAX_WAIT} and
 * {@code PUBLISHER_MAX_ATTEMPTS}; a file no box stored is then marked failed with the
 * reason (the original dropped it). A repair task keeps the live replicas and only sends
 * the missing ones.
 */
@Service
class PublishService {

	private static final Logger logger = LoggerFactory.getLogger(PublishService.class);

	private static final Duration RETRY_DELAY = Duration.ofMillis(200);

	private final BoxSender sender;

	private final BoxPool pool;

	private final FileRepository files;

	private final PublisherProperties.Publish settings;

	private final FrameReader reader;

	private final ObjectMapper mapper;

	private final PublicNames names;

	private final Clock clock;

	private final PublisherMetrics metrics;

	private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	PublishService(BoxSender sender, BoxPool pool, FileRepository files, PublisherProperties properties,
			ObjectMapper mapper, PublicNames names, Clock clock, PublisherMetrics metrics) {
		this.metrics = metrics;
		this.sender = sender;
		this.pool = pool;
		this.files = files;
		this.settings = properties.publish();
		this.reader = new FrameReader(properties.publish().maxFrameSize().toBytes());
		this.mapper = mapper;
		this.names = names;
		this.clock = clock;
	}

	/**
	 * Publishes one queue entry. Completes when the file is stored on enough boxes,
	 * failed, or the entry was unreadable; errors only while Redis is unavailable,
	 * leaving the entry to be taken again.
	 * @param json the queue entry
	 * @return completion
	 */
	public Mono<Void> publish(String json) {
		PublishTask pushed;
		try {
			pushed = PublishTask.read(json, this.mapper);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Dropped a queue entry that is not a task ({}): {}", ex.getMessage(), json);
			this.metrics.file(FileOutcome.FAILED);
			return Mono.empty();
		}
		PublishTask task;
		try {
			task = named(pushed);
		}
		catch (IllegalArgumentException ex) {
			// Nothing to record it under: without a name the file has no state
			logger.warn("Dropped the task for {}: it has no public name ({})", pushed.filePath(), ex.getMessage());
			this.metrics.file(FileOutcome.FAILED);
			return Mono.empty();
		}
		return publish(task).onErrorResume((ex) -> {
			if (RedisUnavailable.isCause(ex)) {
				// Not the file's fault: its task stays in the processing list, and the
				// queue's
				// job, restarted, puts it back at the head of the queue (a failover, an
				// outage)
				logger.warn("Publishing {} stopped while Redis is unavailable: it is published again once Redis is "
						+ "back ({})", task.name(), ex.toString());
				return Mono.error(ex);
			}
			logger.warn("Publishing {} failed", task.name(), ex);
			this.metrics.file(FileOutcome.FAILED);
			return this.files.fail(task.name(), "internal error: " + ex, now(), this.settings.failedRetention());
		});
	}

	/**
	 * The task with the name it gives, else with the name of the local file it pushed:
	 * the path below its allowed root.
	 */
	private PublishTask named(PublishTask task) {
		if (task.name() != null) {
			return task.withName(PublicNames.canonical(task.name()), task.localPath());
		}
		String name = this.names.ofLocalFile(task.filePath());
		// One spelling of the file ("/a//b" is "/a/b"), as the name's binding compares it
		return task.withName(name, Path.of(task.filePath()).toString());
	}

	private Mono<Void> publish(PublishTask task) {
		String name = task.name();
		Mono<Boolean> sending = task.repair() ? Mono.just(true) : this.files.claim(task, "SENDING", now());
		return sending.flatMap((claimed) -> {
			if (!claimed) {
				// First come, first served: the name stays with the file that holds it
				logger.warn("Not publishing {} as {}: another local file holds that name", task.localPath(), name);
				return Mono.empty();
			}
			Mono<Set<String>> holders = task.repair() ? this.files.replicas(name).map((replicas) -> {
				Set<String> live = new HashSet<>();
				replicas.keySet().stream().filter(this.pool::isLive).forEach(live::add);
				return live;
			}) : this.files.clearReplicas(name).thenReturn(Set.of());
			return holders.flatMap((live) -> read(task, live));
		});
	}

	private Mono<Void> read(PublishTask task, Set<String> live) {
		String name = task.name();
		int needed = this.settings.replicas() - live.size();
		if (needed <= 0) {
			return Mono.empty();
		}
		return Mono.fromCallable(() -> this.reader.read(task, Duration.ofSeconds(task.ttlSeconds())))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((frame) -> Mono.usingWhen(Mono.just(frame), (used) -> send(task, used, live),
					(used) -> Mono.fromRunnable(used.bytes()::release)))
			.onErrorResume(FileProblem.class, (ex) -> {
				this.metrics.file(FileOutcome.FAILED);
				if (task.repair()) {
					logger.warn("Cannot re-publish {}: {}", name, ex.getMessage());
					return Mono.empty();
				}
				logger.warn("Cannot publish {}: {}", name, ex.getMessage());
				return this.files.fail(name, ex.getMessage(), now(), this.settings.failedRetention());
			});
	}

	private Mono<Void> send(PublishTask task, Frame frame, Set<String> holders) {
		Run run = new Run(task, frame, holders, this.clock.millis() + this.settings.maxWait().toMillis());
		return round(run).then(Mono.defer(() -> finish(run)));
	}

	/**
	 * One round: send to as many chosen boxes as replicas are missing, then go again
	 * until enough boxes stored the file, the time is up, the attempts are spent, or some
	 * box stored it and no other box is left that could take it soon.
	 */
	private Mono<Void> round(Run run) {
		int missing = this.settings.replicas() - run.stored.size();
		if (missing <= 0 || run.attempts.get() >= this.settings.maxAttempts() || this.clock.millis() > run.deadline) {
			return Mono.empty();
		}
		Set<String> exclude = new HashSet<>(run.stored);
		exclude.addAll(run.failed);
		List<String> chosen = this.sender.choose(missing, exclude, run.stored);
		if (chosen.isEmpty() && !run.stored.isEmpty() && !this.sender.mayTakeSoon(exclude)) {
			// Viewers get it already, and no other box is there to wait for: waiting
			// until
			// max-wait would hold a publish slot, and the files queued behind it, for
			// nothing
			return Mono.empty();
		}
		if (chosen.isEmpty()) {
			if (run.stored.isEmpty() && run.reason.get() == null) {
				run.reason.set("no connected box");
			}
			return Mono.delay(RETRY_DELAY).then(Mono.defer(() -> round(run)));
		}
		return Flux.fromIterable(chosen).flatMap((boxId) -> sendTo(run, boxId)).then(Mono.defer(() -> round(run)));
	}

	private Mono<Void> sendTo(Run run, String boxId) {
		run.attempts.incrementAndGet();
		String path = run.task.name();
		return this.sender
			.send(boxId, path, run.frame.sha256(), this.buffers.wrap(run.frame.bytes().retainedDuplicate()),
					this.settings.ackTimeout())
			.flatMap((ack) -> onAck(run, boxId, ack))
			.onErrorResume((ex) -> {
				this.metrics.copy(CopyOutcome.FAILED, 0);
				run.failed.add(boxId);
				run.reason.set(ex.getMessage());
				logger.info("Box {} did not store {}: {}", boxId, path, ex.getMessage());
				return Mono.empty();
			});
	}

	private Mono<Void> onAck(Run run, String boxId, StoredAck ack) {
		String path = run.task.name();
		if (!ack.isStored() || !run.frame.sha256().equals(ack.sha256())) {
			run.failed.add(boxId);
			String why = ack.isStored() ? "box " + boxId + " stored a different SHA-256"
					: "box " + boxId + " refused: " + ack.errorCode() + " " + ack.error();
			run.reason.set(why);
			this.metrics.copy(CopyOutcome.REFUSED, 0);
			logger.info("Publishing {}: {}", path, why);
			return Mono.empty();
		}
		run.stored.add(boxId);
		this.metrics.copy(CopyOutcome.STORED, run.frame.size());
		logger.debug("Box {} stored {} ({} bytes)", boxId, path, run.frame.size());
		return this.files.recordReplica(run.task, boxId, now(), run.frame.size(), run.frame.sha256());
	}

	private Mono<Void> finish(Run run) {
		String path = run.task.name();
		int total = run.stored.size();
		if (total >= this.settings.replicas()) {
			this.metrics.file(FileOutcome.STORED);
			logger.debug("Published {} to {}", path, run.stored);
			return Mono.empty();
		}
		String reason = (run.reason.get() != null) ? run.reason.get()
				: (total > 0) ? "no other box was ready" : "no box stored it";
		if (total > 0) {
			this.metrics.file(FileOutcome.PARTLY_STORED);
			logger.warn("Published {} to {} of {} boxes ({}): {}", path, total, this.settings.replicas(), run.stored,
					reason);
			return Mono.empty();
		}
		this.metrics.file(FileOutcome.FAILED);
		String why = "not stored after " + run.attempts.get() + " attempts within "
				+ this.settings.maxWait().toSeconds() + " s: " + reason;
		if (run.task.repair()) {
			logger.warn("Cannot re-publish {}: {}", path, why);
			return Mono.empty();
		}
		logger.warn("Publishing {} failed: {}", path, why);
		return this.files.fail(path, why, now(), this.settings.failedRetention());
	}

	private long now() {
		return this.clock.millis();
	}

	/**
	 * One file being published: which boxes stored it (including those that already held
	 * it), which failed it, and how many sends were made.
	 */
	private static final class Run {

		final PublishTask task;

		final Frame frame;

		final Set<String> stored = ConcurrentHashMap.newKeySet();

		final Set<String> failed = ConcurrentHashMap.newKeySet();

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicReference<String> reason = new AtomicReference<>();

		final long deadline;

		Run(PublishTask task, Frame frame, Set<String> holders, long deadline) {
			this.task = task;
			this.frame = frame;
			this.stored.addAll(holders);
			this.deadline = deadline;
		}

	}

}
