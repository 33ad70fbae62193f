package io.dandelion.support.background;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.dandelion.support.failure.FailureLog;

/**
 * A job that runs its work every period, made by
 * {@link BackgroundJob#every(String, Duration, Duration, Supplier)}.
 *
 * @param name what the job is, for logs
 * @param initialDelay the time before the first run
 * @param period the time between the starts of two runs
 * @param work one run
 */
record PeriodicJob(String name, Duration initialDelay, Duration period,
		Supplier<? extends Mono<?>> work) implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicJob.class);

	private static final FailureLog failures = new FailureLog(logger);

	PeriodicJob {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(initialDelay, "initialDelay");
		Objects.requireNonNull(period, "period");
		Objects.requireNonNull(work, "work");
		if (initialDelay.isNegative()) {
			throw new IllegalArgumentException("The initial delay of " + name + " must not be negative");
		}
		if (period.isZero() || period.isNegative()) {
			throw new IllegalArgumentException("The period of " + name + " must be positive");
		}
	}

	@Override
	public Flux<?> run() {
		// concatMap without prefetch asks for the next tick only once a run is done, so a
		// tick that comes during a run is dropped rather than queued
		return Flux.interval(this.initialDelay, this.period)
			.onBackpressureDrop((tick) -> logger.debug("{} still running, skipped a run", this.name))
			.concatMap((tick) -> Mono.defer(this.work).onErrorResume((ex) -> {
				failures.failed(this.name + " failed", "retrying in " + this.period, ex);
				return Mono.empty();
			}), 0);
	}

	@Override
	public String description() {
		return this.name + " every " + this.period;
	}

}
