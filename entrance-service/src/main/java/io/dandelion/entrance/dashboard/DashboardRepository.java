package io.dandelion.entrance.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.LuaScripts;

/**
 * The dashboard's state in Redis: the capped {@code DASHBOARD_SAMPLES} stream, one entry
 * per sample period whose ID is the period's start, and the {@code EXCHANGES_ACCEPTED}
 * counter every replica of the entrance adds its heartbeats to.
 */
@Repository
class DashboardRepository {

	private static final RedisScript<Long> APPEND = LuaScripts.fromClasspath("scripts/append-dashboard-sample.lua",
			Long.class);

	static final String LIVE_BOXES = "live_boxes";

	static final String EXCHANGES = "exchanges";

	/** Stream fields {@code box:{id}} hold a box's bytes served. */
	static final String BOX_BYTES_PREFIX = "box:";

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	DashboardRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Adds heartbeats to the shared count.
	 * @param accepted how many this process accepted since it last added
	 * @return the count after adding
	 */
	Mono<Long> addExchanges(long accepted) {
		return this.redis.opsForValue().increment(this.keys.exchangesAccepted(), accepted);
	}

	/**
	 * When the latest sample was taken.
	 * @return the start of its period; empty when there is none
	 */
	Mono<Instant> latestSampleTime() {
		return this.redis.opsForStream()
			.reverseRange(this.keys.dashboardSamples(), Range.unbounded(), Limit.limit().count(1))
			.next()
			.map((record) -> Instant.ofEpochMilli(record.getId().getTimestamp()));
	}

	/**
	 * Adds a sample, with the shared heartbeat count as it stands, unless its period (or
	 * a later one) has one already.
	 * @param sample the sample; its {@code exchanges} is ignored
	 * @param history how many samples to keep
	 * @return {@code true} when it was added
	 */
	Mono<Boolean> append(DashboardSample sample, int history) {
		List<String> args = new ArrayList<>(4 + 2 * sample.boxBytes().size());
		args.add(Long.toString(sample.at().toEpochMilli()));
		args.add(Integer.toString(history));
		args.add(LIVE_BOXES);
		args.add(Long.toString(sample.liveBoxes()));
		sample.boxBytes().forEach((boxId, bytes) -> {
			args.add(BOX_BYTES_PREFIX + boxId);
			args.add(Long.toString(bytes));
		});
		return this.redis.execute(APPEND, List.of(this.keys.dashboardSamples(), this.keys.exchangesAccepted()), args)
			.next()
			.map((added) -> added == 1L);
	}

	/**
	 * The latest samples, oldest first.
	 * @param count the most to read
	 * @return the samples
	 */
	Flux<DashboardSample> latest(int count) {
		return this.redis.opsForStream()
			.reverseRange(this.keys.dashboardSamples(), Range.unbounded(), Limit.limit().count(count))
			.map(DashboardRepository::toSample)
			.collectList()
			.flatMapMany((samples) -> {
				Collections.reverse(samples);
				return Flux.fromIterable(samples);
			});
	}

	/**
	 * The samples taken at or after a time, oldest first.
	 * @param from the earliest period start to read
	 * @param count the most to read
	 * @return the samples
	 */
	Flux<DashboardSample> since(Instant from, int count) {
		return this.redis.opsForStream()
			.range(this.keys.dashboardSamples(),
					Range.rightUnbounded(Range.Bound.inclusive(from.toEpochMilli() + "-0")), Limit.limit().count(count))
			.map(DashboardRepository::toSample);
	}

	private static DashboardSample toSample(MapRecord<String, Object, Object> record) {
		long liveBoxes = 0;
		long exchanges = 0;
		Map<String, Long> boxBytes = new HashMap<>();
		for (Map.Entry<Object, Object> field : record.getValue().entrySet()) {
			String name = field.getKey().toString();
			long value = Long.parseLong(field.getValue().toString());
			if (name.equals(LIVE_BOXES)) {
				liveBoxes = value;
			}
			else if (name.equals(EXCHANGES)) {
				exchanges = value;
			}
			else if (name.startsWith(BOX_BYTES_PREFIX)) {
				boxBytes.put(name.substring(BOX_BYTES_PREFIX.length()), value);
			}
		}
		return new DashboardSample(Instant.ofEpochMilli(record.getId().getTimestamp()), liveBoxes, exchanges, boxBytes);
	}

}
