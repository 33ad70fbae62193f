package io.dandelion.publisher.system;

import reactor.core.publisher.Flux;

/**
 * A job that runs in the background for as long as the application runs: searching
 * entrances, keeping box connections, consuming the publish queue. {@link BackgroundJobs}
 * subscribes to every such bean, the one place that does.
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

}
