package io.dandelion.publisher.publish;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
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
 * The box's files are known by public name; the local file and the {@code FILE_PATH}
 * their task was pushed with come from each file's state hash. Going through the queue
 * keeps repairs crash-safe and within the publish concurrency.
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
			Collections.reverse(oldestFirst);
			return Flux.fromIterable(oldestFirst)
				.concatMap((entry) -> repair(boxId, entry.getKey(), entry.getValue(), now))
				.then(this.files.forgetBox(boxId))
				.then(Mono.fromSupplier(() -> {
					if (!live.isEmpty()) {
						logger.info("Re-publishing {} live files of lost box {}", live.size(), boxId);
					}
					return live.size();
				}));
		});
	}

	private Mono<Void> repair(String boxId, String name, double expiresAt, long now) {
		return this.files.state(name).flatMap((state) -> {
			String pushed = state.getOrDefault(FileRepository.PUSHED_FILE_PATH, name);
			String localPath = state.get(FileRepository.LOCAL_PATH);
			Mono<Long> forget = this.files.forgetReplica(name, pushed, boxId);
			if (localPath == null) {
				logger.warn("Cannot re-publish {} of lost box {}: no local file is recorded for it", name, boxId);
				return forget.then();
			}
			PublishTask task = task(pushed, name, localPath, expiresAt, now);
			return forget.then(this.queue.pushFirst(task.write(this.mapper)));
		});
	}

	private static PublishTask task(String pushed, String name, String localPath, double expiresAt, long now) {
		long ttl = Double.isInfinite(expiresAt) ? 0 : Math.max(1, (long) Math.ceil((expiresAt - now) / 1000));
		return new PublishTask(pushed, name, localPath, ttl, new LinkedHashMap<>(), true);
	}

}
