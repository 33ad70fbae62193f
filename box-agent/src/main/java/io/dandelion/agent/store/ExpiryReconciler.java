package io.dandelion.agent.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.store.FileStore.Inventory;
import io.dandelion.agent.store.FileStore.OnDisk;
import io.dandelion.protocol.store.FileExpiry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * Makes the store and its records in {@code {box}:EXPIRE_FILES} agree again, at start-up
 * and every {@code box.store.reconcile-files-freq}, so that a Redis restarted without
 * persistence or flushed loses no file's expiry:
 * <ul>
 * <li>a file without a record gets it back from its sidecar ({@code ZADD NX}), unless the
 * sidecar says TTL 0 (such a file never has a record) or that it has expired, when the
 * file is deleted;</li>
 * <li>a file with a record and no sidecar (stored before the box kept sidecars) gets one
 * from its record;</li>
 * <li>a file with neither was stored by an older box and most likely with TTL 0: it is
 * kept, unless {@code box.store.unrecorded-file-ttl} is set, which expires it that long
 * after it was last written;</li>
 * <li>a record whose file is gone is dropped, and a sidecar whose file is gone
 * deleted.</li>
 * </ul>
 * Races with writes are harmless: records are only added where none is, sidecars only
 * written where none is, and the sweeper deletes a file only when its sidecar agrees. A
 * record dropped just before its file was moved into place is restored the next time.
 */
@Component
class ExpiryReconciler {

	private static final Logger logger = LoggerFactory.getLogger(ExpiryReconciler.class);

	/**
	 * Longer than a write takes from writing its sidecar to moving its file into place.
	 */
	private static final Duration ORPHAN_SIDECAR_AGE = Duration.ofMinutes(1);

	private final FileStore store;

	private final ExpiryRepository expiry;

	private final Scheduler scheduler;

	private final Duration unrecordedFileTtl;

	private final Clock clock = Clock.systemUTC();

	/** Whether a reconciliation ran yet: the first is always logged. */
	private volatile boolean ranOnce;

	@Autowired
	ExpiryReconciler(FileStore store, ExpiryRepository expiry, Scheduler storeScheduler, BoxProperties properties) {
		this(store, expiry, storeScheduler, properties.store().unrecordedFileTtl());
	}

	ExpiryReconciler(FileStore store, ExpiryRepository expiry, Scheduler storeScheduler, Duration unrecordedFileTtl) {
		this.store = store;
		this.expiry = expiry;
		this.scheduler = storeScheduler;
		this.unrecordedFileTtl = unrecordedFileTtl;
	}

	/**
	 * One reconciliation of the whole store.
	 * @return what it did
	 */
	Mono<Reconciliation> reconcile() {
		Instant now = this.clock.instant();
		Counts counts = new Counts();
		Mono<Inventory> inventory = Mono.fromCallable(() -> this.store.inventory(now.minus(ORPHAN_SIDECAR_AGE)))
			.subscribeOn(this.scheduler);
		Mono<Map<String, Double>> records = this.expiry.all()
			.collectMap(TypedTuple::getValue, TypedTuple::getScore, HashMap::new);
		return inventory.zipWith(records).flatMap((found) -> {
			Inventory disk = found.getT1();
			Map<String, Double> recorded = found.getT2();
			counts.orphanSidecars.set(disk.orphanSidecarsDeleted());
			Set<String> onDisk = new HashSet<>();
			disk.files().forEach((file) -> onDisk.add(file.path().toString()));
			Mono<Void> files = Flux.fromIterable(disk.files())
				.concatMap((file) -> reconcile(file, recorded.get(file.path().toString()), now, counts))
				.then();
			Mono<Void> gone = Flux.fromIterable(recorded.keySet())
				.filter((member) -> !onDisk.contains(member))
				.concatMap((member) -> dropIfGone(member, counts))
				.then();
			return files.then(gone).then(Mono.fromSupplier(() -> counts.result(disk.files().size())));
		}).doOnNext(this::log);
	}

	private Mono<Void> reconcile(OnDisk file, Double score, Instant now, Counts counts) {
		if (score != null) {
			if (file.sidecar().isPresent()) {
				return Mono.empty();
			}
			// Stored before sidecars: its record says when it expires
			FileExpiry recorded = FileExpiry.at(Instant.ofEpochMilli((long) Math.ceil(score * 1000)));
			return onStore(() -> this.store.writeSidecarIfAbsent(file.path(), recorded), counts.sidecarsWritten);
		}
		if (file.sidecar().isPresent()) {
			return restore(file.path(), file.sidecar().get(), now, counts);
		}
		if (this.unrecordedFileTtl.isZero()) {
			counts.unrecordedKept.incrementAndGet();
			return Mono.empty();
		}
		FileExpiry adopted = FileExpiry.at(file.modified().plus(this.unrecordedFileTtl));
		if (adopted.passed(now)) {
			return deleteExpired(file.path(), adopted, counts);
		}
		return onStore(() -> this.store.writeSidecarIfAbsent(file.path(), adopted), counts.sidecarsWritten)
			.then(restore(file.path(), adopted, now, counts));
	}

	/** Gives a file without a record the expiry of its sidecar. */
	private Mono<Void> restore(Path file, FileExpiry expiry, Instant now, Counts counts) {
		if (expiry.never()) {
			return Mono.empty();
		}
		if (expiry.passed(now)) {
			return deleteExpired(file, expiry, counts);
		}
		return this.expiry.expireAtIfAbsent(file, expiry.at()).doOnNext((added) -> {
			if (added) {
				counts.recordsRestored.incrementAndGet();
			}
		}).then();
	}

	private Mono<Void> deleteExpired(Path file, FileExpiry expiry, Counts counts) {
		return onStore(() -> this.store.deleteExpired(file, expiry.at().toEpochMilli()), counts.expiredRemoved);
	}

	private Mono<Void> dropIfGone(String member, Counts counts) {
		return Mono.fromCallable(() -> this.store.holds(Path.of(member)))
			.subscribeOn(this.scheduler)
			.filter((held) -> !held)
			.flatMap((gone) -> this.expiry.forget(member)
				.then(Mono.fromRunnable(counts.recordsDropped::incrementAndGet)));
	}

	/** Runs a blocking step of the store and counts it when it did something. */
	private Mono<Void> onStore(Callable<Boolean> step, AtomicInteger count) {
		return Mono.fromCallable(step).subscribeOn(this.scheduler).doOnNext((done) -> {
			if (done) {
				count.incrementAndGet();
			}
		}).then();
	}

	private void log(Reconciliation done) {
		boolean first = !this.ranOnce;
		this.ranOnce = true;
		if (!first && !done.changed()) {
			logger.debug("Store and expiry records agree ({} files)", done.files());
			return;
		}
		logger.info(
				"Reconciled the store with its expiry records: {} files; {} records restored from sidecars, {} sidecars "
						+ "written from records, {} expired files removed, {} records of missing files dropped, "
						+ "{} sidecars of missing files deleted; {} files with neither record nor sidecar kept{}",
				done.files(), done.recordsRestored(), done.sidecarsWritten(), done.expiredRemoved(),
				done.recordsDropped(), done.orphanSidecarsDeleted(), done.unrecordedKept(),
				this.unrecordedFileTtl.isZero() ? " (BOX_UNRECORDED_FILE_TTL is 0)" : "");
	}

	/**
	 * What one reconciliation did.
	 *
	 * @param files the stored files it found
	 * @param recordsRestored records given back to files from their sidecars
	 * @param sidecarsWritten sidecars written for files that had none
	 * @param expiredRemoved files deleted because their sidecar said they expired
	 * @param recordsDropped records of files that are gone, forgotten
	 * @param orphanSidecarsDeleted sidecars of files that are gone, deleted
	 * @param unrecordedKept files with neither record nor sidecar, left as they are
	 */
	record Reconciliation(int files, int recordsRestored, int sidecarsWritten, int expiredRemoved, int recordsDropped,
			int orphanSidecarsDeleted, int unrecordedKept) {

		/**
		 * Whether it changed anything.
		 * @return true when it restored, wrote, removed, dropped or deleted something
		 */
		boolean changed() {
			return this.recordsRestored + this.sidecarsWritten + this.expiredRemoved + this.recordsDropped
					+ this.orphanSidecarsDeleted > 0;
		}

	}

	private static final class Counts {

		final AtomicInteger recordsRestored = new AtomicInteger();

		final AtomicInteger sidecarsWritten = new AtomicInteger();

		final AtomicInteger expiredRemoved = new AtomicInteger();

		final AtomicInteger recordsDropped = new AtomicInteger();

		final AtomicInteger orphanSidecars = new AtomicInteger();

		final AtomicInteger unrecordedKept = new AtomicInteger();

		Reconciliation result(int files) {
			return new Reconciliation(files, this.recordsRestored.get(), this.sidecarsWritten.get(),
					this.expiredRemoved.get(), this.recordsDropped.get(), this.orphanSidecars.get(),
					this.unrecordedKept.get());
		}

	}

}
