package io.dandelion.support.background;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import io.dandelion.support.failure.FailureLog;

/**
 * Runs every {@link BackgroundJob} bean while the application runs. This is a service's
 * one {@code subscribe()}: nothing downstream of a background loop is a request to hand
 * it to. A failed job is logged and restarted after a second; stopping the application
 * disposes them all, before the web server and Redis go away.
 */
public final class BackgroundJobs implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BackgroundJobs.class);

	private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

	private static final FailureLog failures = new FailureLog(logger);

	private final ObjectProvider<BackgroundJob> jobs;

	private volatile Disposable.Composite running;

	/**
	 * Runs the given jobs once started.
	 * @param jobs the jobs, looked up when the lifecycle starts
	 */
	public BackgroundJobs(ObjectProvider<BackgroundJob> jobs) {
		this.jobs = jobs;
	}

	@Override
	public void start() {
		Disposable.Composite all = Disposables.composite();
		this.jobs.orderedStream().forEach((job) -> all.add(run(job)));
		this.running = all;
	}

	private static Disposable run(BackgroundJob job) {
		logger.info("Starting {}", job.description());
		return Flux.defer(job::run)
			.doOnError((ex) -> failed(job, ex))
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RESTART_DELAY))
			.doOnCancel(() -> logger.info("Stopped {}", job.name()))
			.subscribe();
	}

	private static void failed(BackgroundJob job, Throwable ex) {
		failures.crashed(job.name() + " failed", "restarting in " + RESTART_DELAY, ex);
	}

	@Override
	public void stop() {
		Disposable.Composite current = this.running;
		if (current != null) {
			current.dispose();
			this.running = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	@Override
	public int getPhase() {
		// Stopped before the web server (Boot's phase DEFAULT_PHASE - 2048) and Redis
		// (phase 0) go away; started after them
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
