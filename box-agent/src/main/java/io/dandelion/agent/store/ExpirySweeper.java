package io.dandelion.agent.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.stereotype.Component;

/**
 * Deletes expired files: each sweep takes the due members of {@code {box}:EXPIRE_FILES},
 * claims each with an atomic ZREM and deletes the file it won. Run every
 * {@code box.store.expire-files-freq} (see {@link StoreConfiguration}), so a file is gone
 * at most one period (plus the sweep's time) after it expires.
 */
@Component
class ExpirySweeper {

	private static final Logger logger = LoggerFactory.getLogger(ExpirySweeper.class);

	private static final int BATCH = 1000;

	private final ExpiryRepository expiry;

	private final FileStore store;

	private final Scheduler scheduler;

	private final Clock clock;

	ExpirySweeper(ExpiryRepository expiry, FileStore store, Scheduler storeScheduler) {
		this.expiry = expiry;
		this.store = store;
		this.scheduler = storeScheduler;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Deletes the files due now.
	 * @return how many files were deleted
	 */
	Mono<Long> sweep() {
		Instant now = this.clock.instant();
		return this.expiry.due(now, BATCH)
			.concatMap((entry) -> this.expiry.claim(entry.getValue(), now)
				.filter(Boolean::booleanValue)
				.flatMap((claimed) -> Mono
					.fromCallable(() -> this.store.deleteExpired(Path.of(entry.getValue()),
							(long) Math.ceil(entry.getScore() * 1000)))
					.subscribeOn(this.scheduler)))
			.filter(Boolean::booleanValue)
			.count()
			.doOnNext((deleted) -> {
				if (deleted > 0) {
					logger.debug("Deleted {} expired files", deleted);
				}
			});
	}

}
