package io.dandelion.entrance.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.LuaScripts;

/**
 * What the dial-back probes found, in Redis, shared by every entrance process with this
 * ID: one {@code {ent}:PROBE:{box}} hash per probed box (its state, consecutive failures
 * and successes, last figures), {@code {ent}:SUSPENDED_BOXES} (box to the Unix ms it was
 * suspended) and a short {@code {ent}:PROBE_LEASE:{box}} per box, taken by the process
 * that probes it in the current period.
 */
@Repository
class ProbeRepository {

	private static final RedisScript<String> RECORD = LuaScripts.fromClasspath("scripts/record-probe.lua",
			String.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = LuaScripts.fromClasspath("scripts/read-probes.lua", List.class);

	private static final RedisScript<Long> DROP = LuaScripts.fromClasspath("scripts/drop-suspended.lua", Long.class);

	private static final String SUSPENDED = "suspended";

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	ProbeRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Takes the lease to probe a box, unless another process (or an earlier round of this
	 * one) holds it.
	 * @param boxId the box
	 * @param owner who takes it, for an operator reading Redis
	 * @param lease how long it is held
	 * @return whether this call took it
	 */
	Mono<Boolean> lease(String boxId, String owner, Duration lease) {
		return this.redis.opsForValue().setIfAbsent(this.keys.probeLease(boxId), owner, lease);
	}

	/**
	 * Records one probe and moves the box between healthy and suspended, atomically.
	 * @param boxId the box
	 * @param result what the probe found
	 * @param now when it ended
	 * @param suspendAfter failures in a row that suspend
	 * @param reinstateAfter successes in a row that reinstate
	 * @param keep how long the box's hash is kept after this probe
	 * @return where the box stands now
	 */
	Mono<ProbeVerdict> record(String boxId, ProbeResult result, Instant now, int suspendAfter, int reinstateAfter,
			Duration keep) {
		List<String> args = List.of(boxId, Long.toString(now.toEpochMilli()), result.succeeded() ? "1" : "0",
				figure(result.ttfbMs()), figure(result.mbps()), (result.problem() != null) ? result.problem() : "",
				Integer.toString(suspendAfter), Integer.toString(reinstateAfter), Long.toString(keep.toMillis()));
		return this.redis
			.execute(RECORD, List.of(this.keys.probe(boxId), this.keys.boxSet(), this.keys.suspendedBoxes()), args)
			.next()
			.map(ProbeVerdict::of);
	}

	/**
	 * What the probes found of some boxes, in one round trip.
	 * @param boxIds the boxes
	 * @return box ID to what was found, for the boxes ever probed
	 */
	Mono<Map<String, ProbedHealth>> find(Collection<String> boxIds) {
		if (boxIds.isEmpty()) {
			return Mono.just(Map.of());
		}
		List<String> ids = new ArrayList<>(boxIds);
		return this.redis.execute(READ, ids.stream().map(this.keys::probe).toList(), List.of()).next().map((found) -> {
			Map<String, ProbedHealth> byBox = new HashMap<>();
			for (int i = 0; i < ids.size() && 3 * i + 2 < found.size(); i++) {
				String state = String.valueOf(found.get(3 * i));
				if (!state.isEmpty()) {
					byBox.put(ids.get(i), new ProbedHealth(SUSPENDED.equals(state), parse(found.get(3 * i + 1)),
							parse(found.get(3 * i + 2))));
				}
			}
			return byBox;
		});
	}

	/**
	 * Drops the boxes suspended since a time or earlier from the directory.
	 * @param suspendedBy the latest suspension that is dropped
	 * @param batch the most boxes to look at in one call
	 * @return the IDs of the boxes this call dropped
	 */
	Flux<String> dropSuspended(Instant suspendedBy, int batch) {
		String cutoff = Long.toString(suspendedBy.toEpochMilli());
		return this.redis.opsForZSet()
			.rangeByScore(this.keys.suspendedBoxes(),
					Range.closed(Double.NEGATIVE_INFINITY, (double) suspendedBy.toEpochMilli()),
					Limit.limit().count(batch))
			.concatMap((boxId) -> this.redis
				.execute(DROP,
						List.of(this.keys.suspendedBoxes(), this.keys.boxSet(), this.keys.exchange(boxId),
								this.keys.trafficSeen(boxId)),
						List.of(boxId, cutoff))
				.next()
				.filter((dropped) -> dropped == 1L)
				.map((dropped) -> boxId));
	}

	/**
	 * How many boxes are suspended.
	 * @return the count
	 */
	Mono<Long> countSuspended() {
		return this.redis.opsForZSet().size(this.keys.suspendedBoxes());
	}

	private static String figure(Double value) {
		return (value != null && Double.isFinite(value)) ? Double.toString(Math.round(value * 1000) / 1000.0) : "";
	}

	// Written by the script, or by an operator by hand: an unreadable figure is unknown
	private static Double parse(Object value) {
		try {
			double parsed = Double.parseDouble(String.valueOf(value));
			return Double.isFinite(parsed) ? parsed : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
