package io.dandelion.agent.store;

import java.time.Clock;
import java.util.concurrent.Callable;

import io.dandelion.agent.store.FileStore.PreparedFile;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

import org.springframework.stereotype.Component;

/**
 * The box's file writes, each run to its end as one step that the sender cannot split.
 * The content is written to a temporary file beside the target and fsynced, the file's
 * expiry is recorded in {@code {box}:EXPIRE_FILES}, and only then is the file renamed
 * into place, its expiry sidecar written just before. So a file is never visible without
 * its expiry record, whatever stops the write halfway: a closed connection, a Redis
 * failure, the box stopping or dying. A record whose file never appears is harmless (the
 * sweeper finds nothing to delete). A file kept forever (TTL 0) is renamed first and its
 * old expiry forgotten after, so that a failure leaves it with its old expiry rather than
 * keep the old file forever.
 * <p>
 * Writes are not part of the sender's reactive chain: a publisher's connection that
 * closes cancels that chain, and used to stop a write between the rename and the expiry
 * record. Callers hand each write over through a bounded queue and wait for its result;
 * this background job of the store works the queue off, at most
 * {@link StoreConfiguration#THREADS} writes at once. A caller that goes away only stops
 * waiting.
 */
@Component
public class WriteQueue implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(WriteQueue.class);

	/**
	 * Writes waiting beyond those running: each publisher connection sends one frame at a
	 * time, so this many connections may write at once before writes are refused.
	 */
	static final int CAPACITY = 1024;

	private final FileStore store;

	private final ExpiryRepository expiry;

	private final Scheduler scheduler;

	private final Clock clock = Clock.systemUTC();

	private final Object lock = new Object();

	/** Where writes wait; replaced when the job starts again after a failure. */
	private Sinks.Many<Pending> queue = newQueue();

	private boolean subscribed;

	WriteQueue(FileStore store, ExpiryRepository expiry, Scheduler storeScheduler) {
		this.store = store;
		this.expiry = expiry;
		this.scheduler = storeScheduler;
	}

	/**
	 * Stores a file and records its expiry, as one step. The write is queued at once, not
	 * when the returned Mono is subscribed, and runs on if that Mono is cancelled.
	 * @param open gives the file to write; called once, on the store scheduler, when the
	 * write starts. It may do blocking I/O (resolving the path) and may throw, which
	 * fails the write with its exception. From its return on, the write owns the content
	 * and releases it.
	 * @param dropped called when the write ends without having started, e.g. refused
	 * because the queue is full or the box is stopping, and after every write; it must
	 * release the content only if {@code open} never took it, and be safe to call more
	 * than once
	 * @return the stored file; a {@link StoreRefusedException} when refused or failed
	 */
	public Mono<StoredFile> store(Callable<FileWrite> open, Runnable dropped) {
		Pending pending = new Pending(open, dropped);
		Sinks.EmitResult result;
		synchronized (this.lock) {
			result = this.queue.tryEmitNext(pending);
		}
		if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
			logger.warn("Refusing a file: {} writes are waiting", CAPACITY);
			pending.drop("The box is busy: " + CAPACITY + " writes are waiting");
		}
		else if (result.isFailure()) {
			pending.drop("The box is stopping");
		}
		return pending.result.asMono();
	}

	@Override
	public String name() {
		return "file writer";
	}

	@Override
	public String description() {
		return "file writer (at most " + StoreConfiguration.THREADS + " writes at once, " + CAPACITY + " waiting)";
	}

	@Override
	public Flux<StoredFile> run() {
		Sinks.Many<Pending> current;
		synchronized (this.lock) {
			// A unicast queue takes one subscriber: a restarted job gets a new one
			if (this.subscribed) {
				this.queue = newQueue();
			}
			this.subscribed = true;
			current = this.queue;
		}
		return current.asFlux()
			.flatMap(this::write, StoreConfiguration.THREADS)
			.doOnDiscard(Pending.class, (pending) -> pending.drop("The box is stopping"));
	}

	/**
	 * One write, from the content to the file in place; never fails, its outcome goes to
	 * the waiting caller.
	 */
	private Mono<StoredFile> write(Pending pending) {
		return Mono.fromCallable(() -> prepare(pending))
			.subscribeOn(this.scheduler)
			.flatMap((prepared) -> prepared.write().keepForever() ? commitThenForgetExpiry(prepared.file())
					: recordExpiryThenCommit(prepared))
			.doOnNext(pending.result::tryEmitValue)
			// The failure is the waiting caller's to report, and the queue works on
			.onErrorResume((ex) -> {
				pending.result.tryEmitError(ex);
				return Mono.empty();
			})
			// Only when the box stops: the content, if the write never took it
			.doFinally((signal) -> pending.drop("The box is stopping"));
	}

	/** Opens the write and writes the temporary file; on the store scheduler. */
	private Prepared prepare(Pending pending) throws Exception {
		FileWrite write = pending.open.call();
		try {
			return new Prepared(write,
					this.store.prepare(write.target(), write.length(), write.content(), write.expectedSha256()));
		}
		finally {
			write.release().run();
		}
	}

	private Mono<StoredFile> recordExpiryThenCommit(Prepared prepared) {
		PreparedFile file = prepared.file();
		FileExpiry expiry = FileExpiry.after(this.clock.instant(), prepared.write().ttl());
		return this.expiry.expireAt(file.target(), expiry.at())
			.onErrorResume((ex) -> Mono.fromRunnable(() -> this.store.discard(file))
				.subscribeOn(this.scheduler)
				.then(Mono.error(new StoreRefusedException(RefusalReason.WRITE_FAILED,
						"The box could not record the file's TTL: " + ex.getMessage(), ex))))
			.then(Mono.fromCallable(() -> this.store.commit(file, expiry)).subscribeOn(this.scheduler));
	}

	private Mono<StoredFile> commitThenForgetExpiry(PreparedFile file) {
		return Mono.fromCallable(() -> this.store.commit(file, FileExpiry.NEVER))
			.subscribeOn(this.scheduler)
			.flatMap((stored) -> this.expiry.keepForever(stored.path())
				.thenReturn(stored)
				// Its old expiry would delete it early: not stored after all
				.onErrorResume((ex) -> Mono.fromRunnable(() -> this.store.delete(stored))
					.subscribeOn(this.scheduler)
					.then(Mono.error(new StoreRefusedException(RefusalReason.WRITE_FAILED,
							"The box could not record the file's TTL: " + ex.getMessage(), ex)))));
	}

	private static Sinks.Many<Pending> newQueue() {
		return Sinks.many().unicast().onBackpressureBuffer(Queues.<Pending>get(CAPACITY).get());
	}

	private record Prepared(FileWrite write, PreparedFile file) {

	}

	/**
	 * A write handed over, and its caller's answer.
	 */
	private static final class Pending {

		private final Callable<FileWrite> open;

		private final Runnable dropped;

		private final Sinks.One<StoredFile> result = Sinks.one();

		Pending(Callable<FileWrite> open, Runnable dropped) {
			this.open = open;
			this.dropped = dropped;
		}

		/** Releases what the write did not take and answers, unless answered already. */
		void drop(String reason) {
			this.dropped.run();
			this.result.tryEmitError(new StoreRefusedException(RefusalReason.WRITE_FAILED, reason));
		}

	}

}
