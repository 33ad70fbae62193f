package io.dandelion.publisher.system;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs every {@link BackgroundJob} while the application runs. This is the publisher's
 * one {@code subscribe()}: nothing downstream of a background loop is a request to hand
 * it to. A failed job is logged and restarted after a second; stopping the application
 * disposes them all.
 */
@Component
class BackgroundJobs implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BackgroundJobs.class);

	private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

	private final List<BackgroundJob> jobs;

	private volatile Disposable.Composite running;

	BackgroundJobs(List<BackgroundJob> jobs) {
		this.jobs = jobs;
	}

	@Override
	public void start() {
		Disposable.Composite all = Disposables.composite();
		for (BackgroundJob job : this.jobs) {
			logger.info("Starting {}", job.name());
			all.add(Flux.defer(job::run)
				.doOnError((ex) -> logger.warn("{} failed, restarting in {}", job.name(), RESTART_DELAY, ex))
				.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RESTART_DELAY))
				.subscribe());
		}
		this.running = all;
	}

	@Override
	public void stop() {
		Disposable.Composite current = this.running;
		if (current != null) {
			current.dispose();
			this.running = null;
			logger.info("Stopped {} background jobs", this.jobs.size());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	@Override
	public int getPhase() {
		// Stopped before the web server and Redis go away
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
