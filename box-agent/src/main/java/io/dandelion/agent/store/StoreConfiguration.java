package io.dandelion.agent.store;

import java.time.Duration;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.support.background.BackgroundJob;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler that every blocking file operation of the box runs on, so that none of
 * them blocks a Netty event loop, and the store's background job.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	/**
	 * Threads of the store scheduler, and the most writes the {@link WriteQueue} runs at
	 * once.
	 */
	static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

	/**
	 * Bounded: at most a few threads per core write at once, and a burst of frames queues
	 * (each connection sends at most one frame at a time) rather than starting threads.
	 */
	@Bean(destroyMethod = "dispose")
	Scheduler storeScheduler() {
		return Schedulers.newBoundedElastic(THREADS, 10_000, "box-store");
	}

	/**
	 * Sweeps expired files every {@code box.store.expire-files-freq}, the first time one
	 * period after start.
	 */
	@Bean
	BackgroundJob fileExpirySweeper(ExpirySweeper sweeper, BoxProperties properties) {
		Duration period = properties.store().expireFilesFreq();
		return BackgroundJob.every("file expiry sweeper", period, period, sweeper::sweep);
	}

	/**
	 * Reconciles the stored files with their expiry records at start-up, then every
	 * {@code box.store.reconcile-files-freq}.
	 */
	@Bean
	BackgroundJob fileExpiryReconciler(ExpiryReconciler reconciler, BoxProperties properties) {
		return BackgroundJob.every("file expiry reconciler", properties.store().reconcileFilesFreq(),
				reconciler::reconcile);
	}

}
