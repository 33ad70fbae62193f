package io.dandelion.entrance.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

import io.dandelion.entrance.ranking.Candidate;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.limits.WarningThrottle;
import io.dandelion.support.redis.LuaScripts;

/**
 * The live boxes in Redis: {@code {ent}:BOX_SET} scored by expiry time and one
 * {@code {ent}:EXCHANGE:{box}} hash per box, replaced whole on each heartbeat, as long as
 * the box's credential in {@code {ent}:CREDENTIALS} is the one the heartbeat proved and
 * the {@link RegistrationLimits} allow it: heartbeats per box in
 * {@code {ent}:EXCHANGE_COUNT:{box}}, live boxes per network in
 * {@code {ent}:NETWORK_BOXES:{network}}.
 */
@Repository
public class BoxRepository {

	private static final Logger logger = LoggerFactory.getLogger(BoxRepository.class);

	private static final RedisScript<Long> SAVE = LuaScripts.fromClasspath("scripts/save-exchange.lua", Long.class);

	private static final RedisScript<Long> EXPIRE = LuaScripts.fromClasspath("scripts/expire-box.lua", Long.class);

	/** The expiry script's "now" that drops a box whatever its expiry. */
	private static final String ANY_EXPIRY = "";

	private static final int READ_CONCURRENCY = 16;

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final MessageCodec codec;

	private final WarningThrottle<String> unreadableWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	public BoxRepository(ReactiveStringRedisTemplate redis, RedisKeys keys, MessageCodec codec) {
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
	}

	/**
	 * Stores the heartbeat of a box without a credential, with no limits, as a test's
	 * fixture.
	 * @param exchange the box's exchange data
	 * @param now when the heartbeat arrived
	 * @param expireTime how long the box stays live without another heartbeat
	 * @param seenFrom the address the heartbeat came from
	 * @return the stored box; empty, and nothing stored, when the box has a credential
	 */
	/* for testing */
	public Mono<LiveBox> save(ExchangeRequest exchange, Instant now, Duration expireTime, String seenFrom) {
		return save(exchange, now, expireTime, seenFrom, null, RegistrationLimits.NONE)
			.filter(SaveOutcome.STORED::equals)
			.map((stored) -> new LiveBox(exchange, now, now.plus(expireTime), seenFrom, now));
	}

	/**
	 * Stores a box's heartbeat, replacing what was stored before, and keeps the box live
	 * until the expiry time, provided the box's credential is still the one the heartbeat
	 * was checked against and the limits allow it.
	 * @param exchange the box's exchange data, GeoIP already resolved, without proof
	 * @param now when the heartbeat arrived
	 * @param expireTime how long the box stays live without another heartbeat
	 * @param seenFrom the address the heartbeat came from
	 * @param provenWith the credential the heartbeat proved, {@code null} for an unsigned
	 * one
	 * @param limits the heartbeat rate and boxes per network allowed
	 * @return what became of the heartbeat; only {@link SaveOutcome#STORED} stored
	 * anything
	 */
	public Mono<SaveOutcome> save(ExchangeRequest exchange, Instant now, Duration expireTime, String seenFrom,
			NodeCredential provenWith, RegistrationLimits limits) {
		Instant expiresAt = now.plus(expireTime);
		Map<String, String> fields = new HashMap<>(this.codec.toFields(exchange));
		fields.put(LiveBox.LAST_SEEN, Long.toString(now.toEpochMilli()));
		fields.put(LiveBox.EXPIRES_AT, Long.toString(expiresAt.toEpochMilli()));
		fields.put(LiveBox.SEEN_FROM, seenFrom);
		List<String> args = new ArrayList<>(7 + fields.size() * 2);
		args.add(exchange.id());
		args.add(epochSeconds(expiresAt));
		args.add((provenWith != null) ? provenWith.encodedSecret() : "");
		args.add(Long.toString(now.toEpochMilli()));
		args.add(Integer.toString(limits.maxLiveBoxesPerNetwork()));
		args.add(Integer.toString(limits.maxExchangesPerWindow()));
		args.add(Long.toString(limits.rateWindow().toMillis()));
		fields.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
		String network = Candidate.networkOf(exchange);
		return this.redis
			.execute(SAVE,
					List.of(this.keys.exchange(exchange.id()), this.keys.boxSet(), this.keys.credentials(),
							this.keys.exchangeCount(exchange.id()), this.keys.networkBoxes(network)),
					args)
			.next()
			.map(SaveOutcome::of);
	}

	/**
	 * What became of a heartbeat sent to {@link #save}.
	 */
	public enum SaveOutcome {

		/** Stored: the box is live until its new expiry. */
		STORED,

		/** Not stored: the box's credential was issued or revoked meanwhile. */
		CREDENTIAL_CHANGED,

		/** Not stored: the box sent more heartbeats than the rate window allows. */
		RATE_LIMITED,

		/** Not stored: its network already holds the most live boxes allowed. */
		NETWORK_FULL;

		static SaveOutcome of(long scriptResult) {
			return switch ((int) scriptResult) {
				case 1 -> STORED;
				case 0 -> CREDENTIAL_CHANGED;
				case -1 -> RATE_LIMITED;
				case -2 -> NETWORK_FULL;
				default -> throw new IllegalStateException("save-exchange.lua answered " + scriptResult);
			};
		}

	}

	/**
	 * The boxes whose expiry is after the given time, most recently heard from first.
	 * @param now the current time
	 * @param limit the most boxes to read
	 * @return the live boxes
	 */
	public Flux<LiveBox> findLive(Instant now, int limit) {
		return findLiveIds(now, limit).flatMapSequential(this::find, READ_CONCURRENCY);
	}

	/**
	 * The IDs of the boxes whose expiry is after the given time, most recently heard from
	 * first, without reading their data.
	 * @param now the current time
	 * @param limit the most IDs to read
	 * @return the IDs
	 */
	public Flux<String> findLiveIds(Instant now, int limit) {
		return this.redis.opsForZSet()
			.reverseRangeByScore(this.keys.boxSet(), Range.rightUnbounded(Range.Bound.exclusive(seconds(now))),
					Limit.limit().count(limit));
	}

	/**
	 * One box, if it is known.
	 * @param boxId the box's ID
	 * @return the box, or empty
	 */
	public Mono<LiveBox> find(String boxId) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.exchange(boxId))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.flatMap((fields) -> Mono.justOrEmpty(toLiveBox(boxId, fields)));
	}

	/**
	 * Whether a box is in the directory: live, or expired but not yet swept.
	 * @param boxId the box's ID
	 * @return {@code true} when it is
	 */
	public Mono<Boolean> isListed(String boxId) {
		return this.redis.opsForZSet().score(this.keys.boxSet(), boxId).hasElement();
	}

	/**
	 * How many boxes are live.
	 * @param now the current time
	 * @return the count
	 */
	public Mono<Long> countLive(Instant now) {
		return this.redis.opsForZSet()
			.count(this.keys.boxSet(), Range.rightUnbounded(Range.Bound.exclusive(seconds(now))));
	}

	/**
	 * Drops a box now, whatever its expiry, with its hashes: its credential was revoked.
	 * @param boxId the box's ID
	 * @return whether the box was live
	 */
	public Mono<Boolean> drop(String boxId) {
		return this.redis.execute(EXPIRE, expiryKeys(boxId), List.of(boxId, ANY_EXPIRY))
			.next()
			.map((removed) -> removed == 1L);
	}

	/**
	 * Drops the boxes whose expiry has passed, with their hashes.
	 * @param now the current time
	 * @param batch the most boxes to drop in one call
	 * @return the IDs of the boxes this call dropped
	 */
	public Flux<String> expire(Instant now, int batch) {
		return this.redis.opsForZSet()
			.rangeByScore(this.keys.boxSet(), Range.closed(Double.NEGATIVE_INFINITY, seconds(now)),
					Limit.limit().count(batch))
			.concatMap((boxId) -> this.redis.execute(EXPIRE, expiryKeys(boxId), List.of(boxId, epochSeconds(now)))
				.next()
				.filter((removed) -> removed == 1L)
				.map((removed) -> boxId));
	}

	private List<String> expiryKeys(String boxId) {
		return List.of(this.keys.boxSet(), this.keys.exchange(boxId), this.keys.trafficSeen(boxId));
	}

	private LiveBox toLiveBox(String boxId, Map<String, String> fields) {
		if (fields.isEmpty()) {
			return null;
		}
		try {
			Map<String, String> exchangeFields = new HashMap<>(fields);
			Instant lastSeen = Instant.ofEpochMilli(Long.parseLong(exchangeFields.remove(LiveBox.LAST_SEEN)));
			Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(exchangeFields.remove(LiveBox.EXPIRES_AT)));
			String seenFrom = exchangeFields.remove(LiveBox.SEEN_FROM);
			String firstSeen = exchangeFields.remove(LiveBox.FIRST_SEEN);
			return new LiveBox(this.codec.fromFields(exchangeFields), lastSeen, expiresAt, seenFrom,
					(firstSeen != null) ? Instant.ofEpochMilli(Long.parseLong(firstSeen)) : lastSeen);
		}
		catch (MessageFormatException | NumberFormatException | NullPointerException ex) {
			// Written by something else than this repository (an older version, an
			// operator): skip, do not fail. Every SEARCH reads it again until it expires.
			if (this.unreadableWarnings.isDue(boxId)) {
				logger.warn("Skipping unreadable exchange hash of {} (said once a minute per box): {}", boxId,
						ex.toString());
			}
			return null;
		}
	}

	private static double seconds(Instant instant) {
		return instant.toEpochMilli() / 1000.0;
	}

	private static String epochSeconds(Instant instant) {
		return Double.toString(seconds(instant));
	}

}
