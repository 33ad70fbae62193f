package io.dandelion.entrance.system;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * A background job run every period while the application runs: box expiry, federation
 * checks, refreshing the entrance's own info. A failed run is logged and the next one
 * runs on time; runs never overlap.
 */
public final class PeriodicTask implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicTask.class);

	private final String name;

	private final Duration period;

	private final Duration initialDelay;

	private final Supplier<Mono<?>> job;

	private volatile Disposable running;

	/**
	 * A task that runs the job every period, starting at once.
	 * @param name what the job is, for logs
	 * @param period the time between the starts of two runs
	 * @param job the job; its Mono completes when the run is done
	 */
	public PeriodicTask(String name, Duration period, Supplier<Mono<?>> job) {
		this(name, Duration.ZERO, period, job);
	}

	/**
	 * A task that runs the job every period, the first time after the initial delay.
	 * @param name what the job is, for logs
	 * @param initialDelay the time before the first run
	 * @param period the time between the starts of two runs
	 * @param job the job; its Mono completes when the run is done
	 */
	public PeriodicTask(String name, Duration initialDelay, Duration period, Supplier<Mono<?>> job) {
		this.name = Objects.requireNonNull(name, "name");
		this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
		this.period = Objects.requireNonNull(period, "period");
		this.job = Objects.requireNonNull(job, "job");
		if (period.isZero() || period.isNegative()) {
			throw new IllegalArgumentException("The period of " + name + " must be positive");
		}
	}

	@Override
	public void start() {
		logger.info("Starting {} every {}", this.name, this.period);
		// The one place that subscribes: nothing downstream of a periodic job is a
		// request to hand it to.
		this.running = Flux.interval(this.initialDelay, this.period)
			.onBackpressureDrop((tick) -> logger.debug("{} still running, skipped a run", this.name))
			.concatMap((tick) -> Mono.defer(this.job).onErrorResume((ex) -> {
				logger.warn("{} failed; retrying in {}: {}", this.name, this.period, ex.toString());
				return Mono.empty();
			}), 0)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
			this.running = null;
			logger.info("Stopped {}", this.name);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
