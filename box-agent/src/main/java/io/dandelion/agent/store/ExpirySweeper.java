package io.dandelion.agent.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.dandelion.agent.system.BoxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes expired files: every {@code box.store.expire-files-freq} it takes the due
 * members of {@code {box}:EXPIRE_FILES}, claims each with an atomic ZREM and deletes the
 * file it won. A file is thus gone at most one period (plus the sweep's time) after it
 * expires.
 */
@Component
class ExpirySweeper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ExpirySweeper.class);

	private static final int BATCH = 1000;

	private final ExpiryRepository expiry;

	private final FileStore store;

	private final Scheduler scheduler;

	private final Duration period;

	private final Clock clock;

	private volatile Disposable loop;

	ExpirySweeper(ExpiryRepository expiry, FileStore store, Scheduler storeScheduler, BoxProperties properties) {
		this.expiry = expiry;
		this.store = store;
		this.scheduler = storeScheduler;
		this.period = properties.store().expireFilesFreq();
		this.clock = Clock.systemUTC();
	}

	/**
	 * The one background loop of the store, so the one place that subscribes: nothing
	 * else drives a periodic task. Ticks that come while a sweep still runs are dropped;
	 * a failed sweep is logged and the next tick tries again.
	 */
	@Override
	public void start() {
		this.loop = Flux.interval(this.period, this.period)
			.onBackpressureDrop()
			.concatMap((tick) -> sweep().onErrorResume((ex) -> {
				logger.warn("Sweep for expired files failed: {}", ex.toString());
				return Mono.empty();
			}), 1)
			.subscribe();
		logger.info("Sweeping expired files every {}", this.period);
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

	@Override
	public void stop() {
		Disposable current = this.loop;
		if (current != null) {
			current.dispose();
		}
		this.loop = null;
	}

	@Override
	public boolean isRunning() {
		return this.loop != null;
	}

}
