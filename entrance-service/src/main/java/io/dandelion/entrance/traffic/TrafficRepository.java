package io.dandelion.entrance.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.LuaScripts;

/**
 * What each box served: per-box totals (bytes, requests, requests by status class) and a
 * capped history stream. Each entry is counted once, however often a box reports it.
 */
@Repository
public class TrafficRepository {

	private static final RedisScript<Long> RECORD = LuaScripts.fromClasspath("scripts/record-traffic.lua", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	public TrafficRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Counts the entries a box reported, skipping those already counted within the dedupe
	 * window.
	 * @param boxId the box
	 * @param entries its entries
	 * @param now the current time
	 * @param dedupeWindow how long a log ID is remembered
	 * @param historyCap about how many entries the history stream keeps
	 * @return how many entries were new
	 */
	public Mono<Long> record(String boxId, List<TrafficEntry> entries, Instant now, Duration dedupeWindow,
			long historyCap) {
		if (entries.isEmpty()) {
			return Mono.just(0L);
		}
		List<String> args = new ArrayList<>(3 + entries.size() * 5);
		args.add(Long.toString(now.toEpochMilli()));
		args.add(Long.toString(dedupeWindow.toMillis()));
		args.add(Long.toString(historyCap));
		for (TrafficEntry entry : entries) {
			args.add(entry.logId());
			args.add(entry.url());
			args.add(Integer.toString(entry.status()));
			args.add(Long.toString(entry.size()));
			args.add((entry.datetime() != null) ? entry.datetime() : "");
		}
		return this.redis
			.execute(RECORD,
					List.of(this.keys.trafficSeen(boxId), this.keys.trafficTotals(boxId),
							this.keys.trafficHistory(boxId)),
					args)
			.next();
	}

	/**
	 * A box's totals.
	 * @param boxId the box
	 * @return counter name ({@code bytes}, {@code requests}, {@code 2xx}, …) to value;
	 * empty when nothing was served
	 */
	public Mono<Map<String, Long>> totals(String boxId) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.trafficTotals(boxId))
			.collectMap(Map.Entry::getKey, (entry) -> Long.parseLong(entry.getValue()));
	}

}
