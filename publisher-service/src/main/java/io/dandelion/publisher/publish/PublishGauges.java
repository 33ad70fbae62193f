package io.dandelion.publisher.publish;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.support.background.BackgroundJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;

/**
 * The publishing side's gauges: the files waiting in the queue, read from Redis every
 * {@code publisher.publish.queue-sample-period} (a gauge is read on the scrape's thread,
 * which must not wait for Redis), and the files known here with fewer live replicas than
 * {@code PUBLISH_REPLICAS}, counted from memory when scraped.
 */
@Component
class PublishGauges implements BackgroundJob, MeterBinder {

	private final FileQueue queue;

	private final FileRepository files;

	private final BoxPool pool;

	private final int replicas;

	/** -1 until the queue was first read. */
	private final AtomicLong queued = new AtomicLong(-1);

	private final Duration period;

	private final BackgroundJob sampler;

	PublishGauges(FileQueue queue, FileRepository files, BoxPool pool, PublisherProperties properties) {
		this.queue = queue;
		this.files = files;
		this.pool = pool;
		this.replicas = properties.publish().replicas();
		this.period = properties.publish().queueSamplePeriod();
		this.sampler = BackgroundJob.every(name(), this.period, () -> this.queue.size().doOnNext(this.queued::set));
	}

	@Override
	public String name() {
		return "publish queue length for the metrics";
	}

	@Override
	public Flux<?> run() {
		return this.sampler.run();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("dandelion.publisher.queue.length", this.queued, AtomicLong::get)
			.description("Files waiting in the publish queue, read every " + this.period.toMillis()
					+ " ms (-1 before the first read)")
			.register(registry);
		Gauge
			.builder("dandelion.publisher.files.under.replicated", this,
					(gauges) -> gauges.files.underReplicated(gauges.replicas, gauges.pool::isLive))
			.description("Files known here (the last 10,000 stored or looked up) that have not expired and are on "
					+ "fewer live boxes than PUBLISH_REPLICAS")
			.register(registry);
	}

}
