package io.dandelion.publisher.publish;

import java.time.Duration;

import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Consumes the publish queue: first puts back what a previous run left in the processing
 * list, then takes tasks (blocking on Redis for up to a second, so an idle publisher does
 * not spin) while fewer than {@code PUBLISHER_CONCURRENCY} files are in flight, and
 * removes each from the processing list once it is stored or failed.
 */
@Component
class PublishJob implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(PublishJob.class);

	private static final Duration TAKE_WAIT = Duration.ofSeconds(1);

	private final FileQueue queue;

	private final PublishService service;

	private final int concurrency;

	PublishJob(FileQueue queue, PublishService service, PublisherProperties properties) {
		this.queue = queue;
		this.service = service;
		this.concurrency = properties.publish().concurrency();
	}

	@Override
	public String name() {
		return "publish queue (" + this.concurrency + " files at once)";
	}

	@Override
	public Flux<?> run() {
		Mono<Long> recovered = this.queue.recover().doOnNext((count) -> {
			if (count > 0) {
				logger.info("Put {} unfinished tasks back at the head of the queue", count);
			}
		});
		// repeat() asks for the next task only when flatMap has room
		Flux<String> tasks = Mono.defer(() -> this.queue.take(TAKE_WAIT)).repeat();
		return recovered.thenMany(tasks.flatMap(
				(json) -> this.service.publish(json).then(Mono.defer(() -> this.queue.done(json))).thenReturn(json),
				this.concurrency, 1));
	}

}
