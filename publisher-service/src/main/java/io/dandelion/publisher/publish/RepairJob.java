package io.dandelion.publisher.publish;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Re-publishes the live files of a lost box (dead connection, or no longer listed by the
 * entrances) to other boxes, from the publisher's local copy: each is forgotten on that
 * box, and a repair task goes to the head of the queue, the latest-expiring file first.
 * Going through the queue keeps repairs crash-safe and within the publish concurrency.
 */
@Component
class RepairJob implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(RepairJob.class);

	private final BoxPool pool;

	private final FileRepository files;

	private final FileQueue queue;

	private final ObjectMapper mapper;

	private final Clock clock;

	RepairJob(BoxPool pool, FileRepository files, FileQueue queue, ObjectMapper mapper, Clock clock) {
		this.pool = pool;
		this.files = files;
		this.queue = queue;
		this.mapper = mapper;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "repair of lost boxes' files";
	}

	@Override
	public Flux<?> run() {
		return this.pool.lostBoxes().concatMap((boxId) -> repair(boxId).onErrorResume((ex) -> {
			logger.warn("Cannot re-publish the files of box {}: {}", boxId, ex.toString());
			return Mono.empty();
		}));
	}

	Mono<Integer> repair(String boxId) {
		long now = this.clock.millis();
		return this.files.liveFilesOf(boxId, now).collectList().flatMap((live) -> {
			// Latest expiry first in the list; pushed to the head in reverse, so the
			// latest ends up first in the queue
			List<Map.Entry<String, Double>> oldestFirst = new ArrayList<>(live);
			java.util.Collections.reverse(oldestFirst);
			return Flux.fromIterable(oldestFirst)
				.concatMap((entry) -> this.files.forgetReplica(entry.getKey(), boxId)
					.then(this.queue.pushFirst(task(entry.getKey(), entry.getValue(), now).write(this.mapper))))
				.then(this.files.forgetBox(boxId))
				.then(Mono.fromSupplier(() -> {
					if (!live.isEmpty()) {
						logger.info("Re-publishing {} live files of lost box {}", live.size(), boxId);
					}
					return live.size();
				}));
		});
	}

	private static PublishTask task(String filePath, double expiresAt, long now) {
		long ttl = Double.isInfinite(expiresAt) ? 0 : Math.max(1, (long) Math.ceil((expiresAt - now) / 1000));
		return new PublishTask(filePath, ttl, new LinkedHashMap<>(), true);
	}

}
