package io.dandelion.agent.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.limits.WarningThrottle;
import io.dandelion.support.redis.LuaScripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

/**
 * The box's traffic entries in Redis: one hash {@code {box}:TRAFFIC_FLOW:{log-id}} per
 * entry, as the original wrote them, indexed by the sorted set
 * {@code {box}:TRAFFIC_PENDING} (so that nothing scans with {@code KEYS}), and the access
 * log position {@code {box}:TRAFFIC_LOG_POSITION}. Entries never expire: they stay until
 * an entrance accepted them or the backlog cap pushes them out.
 */
@Repository
class TrafficRepository {

	private static final Logger logger = LoggerFactory.getLogger(TrafficRepository.class);

	private static final WarningThrottle<String> unreadableWarnings = new WarningThrottle<>(Duration.ofHours(1));

	private static final RedisScript<Long> APPEND = LuaScripts.fromClasspath("scripts/traffic-append.lua", Long.class);

	private static final RedisScript<Long> ACKNOWLEDGE = LuaScripts.fromClasspath("scripts/traffic-acknowledge.lua",
			Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final String flowPrefix;

	TrafficRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
		this.flowPrefix = this.keys.trafficFlow("");
	}

	/**
	 * Stores entries and the log position after them in one step.
	 * @param entries the new entries
	 * @param position where the log has been read up to
	 * @param maxPending the most entries to keep waiting
	 * @return the number of old entries dropped to respect the cap
	 */
	Mono<Long> append(List<TrafficEntry> entries, LogPosition position, int maxPending) {
		List<String> scriptKeys = new ArrayList<>(entries.size() + 2);
		scriptKeys.add(this.keys.trafficPending());
		scriptKeys.add(this.keys.trafficLogPosition());
		List<String> args = new ArrayList<>(entries.size() * 5 + 5);
		args.add(position.fileKey());
		args.add(Long.toString(position.offset()));
		args.add(position.tail());
		args.add(Integer.toString(maxPending));
		// Millisecond times 1000 plus the rank keeps the order of lines read in one step
		args.add(Long.toString(System.currentTimeMillis() * 1000));
		args.add(this.flowPrefix);
		for (TrafficEntry entry : entries) {
			scriptKeys.add(this.keys.trafficFlow(entry.logId()));
			args.add(entry.logId());
			args.add(entry.url());
			args.add(Integer.toString(entry.status()));
			args.add(Long.toString(entry.size()));
			args.add((entry.datetime() != null) ? entry.datetime() : "");
		}
		return this.redis.execute(APPEND, scriptKeys, args).next().defaultIfEmpty(0L);
	}

	/**
	 * The saved access log position.
	 * @return the position, empty when the log was never read
	 */
	Mono<LogPosition> position() {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.trafficLogPosition())
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.flatMap((fields) -> {
				String fileKey = fields.get("file-key");
				String offset = fields.get("offset");
				return (fileKey != null && offset != null)
						? Mono.just(new LogPosition(fileKey, Long.parseLong(offset), fields.getOrDefault("tail", "")))
						: Mono.empty();
			});
	}

	/**
	 * The oldest entries waiting for an entrance.
	 * @param limit the most entries to return
	 * @return the entries, oldest first
	 */
	Flux<TrafficEntry> pending(int limit) {
		return this.redis.opsForZSet()
			.range(this.keys.trafficPending(), Range.closed(0L, (long) limit - 1))
			.flatMapSequential(this::entry, 16);
	}

	/**
	 * The number of entries waiting for an entrance.
	 * @return the count
	 */
	Mono<Long> pendingCount() {
		return this.redis.opsForZSet().size(this.keys.trafficPending());
	}

	/**
	 * Removes entries an entrance accepted.
	 * @param logIds the entries' IDs
	 * @return completion
	 */
	Mono<Void> remove(List<String> logIds) {
		if (logIds.isEmpty()) {
			return Mono.empty();
		}
		List<String> scriptKeys = new ArrayList<>(logIds.size() + 1);
		scriptKeys.add(this.keys.trafficPending());
		logIds.forEach((logId) -> scriptKeys.add(this.keys.trafficFlow(logId)));
		return this.redis.execute(ACKNOWLEDGE, scriptKeys, logIds).then();
	}

	private Mono<TrafficEntry> entry(String logId) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.trafficFlow(logId))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.flatMap((fields) -> {
				try {
					return Mono.just(new TrafficEntry(logId, fields.get("url"), Integer.parseInt(fields.get("status")),
							Long.parseLong(fields.get("size")), emptyToNull(fields.get("datetime"))));
				}
				catch (RuntimeException ex) {
					// A hash written by something else: skip it rather than block
					// the queue. It stays, read again with each EXCHANGE, so it is
					// said once an hour
					if (unreadableWarnings.isDue(logId)) {
						logger.warn("Skipped unreadable traffic entry {} (said once an hour): {}", logId,
								ex.toString());
					}
					else {
						logger.debug("Skipped unreadable traffic entry {}: {}", logId, ex.toString());
					}
					return Mono.empty();
				}
			});
	}

	private static String emptyToNull(String text) {
		return (text == null || text.isEmpty()) ? null : text;
	}

}
