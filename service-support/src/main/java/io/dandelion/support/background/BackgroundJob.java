package io.dandelion.support.background;

import java.time.Duration;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Work that runs in the background for as long as the application runs: sweeping expired
 * boxes or files, heartbeating, searching entrances, consuming a queue. A service
 * declares each as a bean; {@link BackgroundJobs} subscribes to them all, the one place
 * that does.
 */
public interface BackgroundJob {

	/**
	 * What the job is, for logs.
	 * @return a short name
	 */
	String name();

	/**
	 * The job's work; it should never complete. An error is logged and the job is started
	 * again after a second.
	 * @return the work
	 */
	Flux<?> run();

	/**
	 * How the job is announced when it starts, for logs.
	 * @return by default its name
	 */
	default String description() {
		return name();
	}

	/**
	 * A job that runs the given work every period, starting at once.
	 * @param name what the job is, for logs
	 * @param period the time between the starts of two runs
	 * @param work one run; its Mono completes when the run is done
	 * @return the job
	 * @see #every(String, Duration, Duration, Supplier)
	 */
	static BackgroundJob every(String name, Duration period, Supplier<? extends Mono<?>> work) {
		return every(name, Duration.ZERO, period, work);
	}

	/**
	 * A job that runs the given work every period, the first time after the initial
	 * delay. Runs never overlap: a tick that comes while a run is still going is skipped.
	 * A failed run is logged and the next one runs on time.
	 * @param name what the job is, for logs
	 * @param initialDelay the time before the first run
	 * @param period the time between the starts of two runs
	 * @param work one run; its Mono completes when the run is done
	 * @return the job
	 */
	static BackgroundJob every(String name, Duration initialDelay, Duration period, Supplier<? extends Mono<?>> work) {
		return new PeriodicJob(name, initialDelay, period, work);
	}

}
