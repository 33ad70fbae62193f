package io.dandelion.agent.store;

import java.time.Duration;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.support.background.BackgroundJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler that every blocking file operation of the box runs on, so that none of
 * them blocks a Netty event loop, the store's background jobs, and its gauges.
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
	 * The store's quota and the disk's free space, read when scraped: what the box may
	 * still store is the lesser of limit less used and free less reserve.
	 */
	@Bean
	MeterBinder storeMetrics(FileStore store) {
		return (registry) -> {
			Gauge.builder("dandelion.box.store.used.bytes", store, FileStore::usedBytes)
				.description("Bytes of the stored files, counted against BOX_MAX_STORAGE")
				.register(registry);
			Gauge.builder("dandelion.box.store.limit.bytes", store, FileStore::maxStorage)
				.description("BOX_MAX_STORAGE: the most bytes the store holds")
				.register(registry);
			Gauge.builder("dandelion.box.disk.free.bytes", store, StoreConfiguration::freeDisk)
				.description("Bytes free on the store's file system (NaN when they cannot be read)")
				.register(registry);
			Gauge.builder("dandelion.box.disk.reserve.bytes", store, FileStore::minFreeDisk)
				.description("BOX_MIN_FREE_DISK: free bytes a file is never stored into")
				.register(registry);
		};
	}

	private static double freeDisk(FileStore store) {
		try {
			return store.freeDisk();
		}
		catch (StoreRefusedException ex) {
			return Double.NaN;
		}
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
