package io.dandelion.agent.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.dandelion.protocol.redis.RedisKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The sorted set {@code {box}:EXPIRE_FILES}: stored files (absolute paths) scored by the
 * Unix time they expire at, in seconds with millisecond fractions.
 */
@Component
public class ExpiryRepository {

	/**
	 * Removes a member only while it is still due: a file rewritten meanwhile has a later
	 * score and stays. The ZREM result decides which sweeper deletes the file.
	 */
	private static final RedisScript<Long> CLAIM = RedisScript.of("""
			local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
			if score and tonumber(score) <= tonumber(ARGV[2]) then
			  return redis.call('ZREM', KEYS[1], ARGV[1])
			end
			return 0
			""", Long.class);

	/** {@code ZADD NX}, which the reactive template does not offer. */
	private static final RedisScript<Long> ADD_IF_ABSENT = RedisScript
		.of("return redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final String key;

	ExpiryRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.key = keys.expireFiles();
	}

	/**
	 * Records when a file expires, replacing an earlier expiry.
	 * @param file the stored file
	 * @param expiry when it expires
	 * @return completes when recorded
	 */
	public Mono<Void> expireAt(Path file, Instant expiry) {
		return this.redis.opsForZSet().add(this.key, file.toString(), score(expiry)).then();
	}

	/**
	 * Records when a file expires unless a record exists: for restoring a record lost
	 * while a write may record a newer one.
	 * @param file the stored file
	 * @param expiry when it expires
	 * @return whether it was recorded
	 */
	public Mono<Boolean> expireAtIfAbsent(Path file, Instant expiry) {
		return this.redis
			.execute(ADD_IF_ABSENT, List.of(this.key), List.of(Double.toString(score(expiry)), file.toString()))
			.next()
			.map((added) -> added == 1L);
	}

	/**
	 * Every record, in no particular order, read with {@code ZSCAN}.
	 * @return path and expiry score of each
	 */
	public Flux<TypedTuple<String>> all() {
		return this.redis.opsForZSet().scan(this.key);
	}

	/**
	 * Forgets a record, as {@link #all} gave it.
	 * @param file the member
	 * @return completes when removed
	 */
	public Mono<Void> forget(String file) {
		return this.redis.opsForZSet().remove(this.key, file).then();
	}

	/**
	 * Forgets a file's expiry: it is kept until overwritten.
	 * @param file the stored file
	 * @return completes when removed
	 */
	public Mono<Void> keepForever(Path file) {
		return this.redis.opsForZSet().remove(this.key, file.toString()).then();
	}

	/**
	 * Files expired at the given time, earliest first.
	 * @param now the time
	 * @param limit how many at most
	 * @return path and expiry score of each
	 */
	public Flux<TypedTuple<String>> due(Instant now, int limit) {
		return this.redis.opsForZSet()
			.rangeByScoreWithScores(this.key, Range.closed(Double.NEGATIVE_INFINITY, score(now)),
					Limit.limit().count(limit));
	}

	/**
	 * Removes a file's entry if it is still due.
	 * @param file the member, as {@link #due} gave it
	 * @param now the time
	 * @return whether this caller removed it, and so must delete the file
	 */
	public Mono<Boolean> claim(String file, Instant now) {
		return this.redis.execute(CLAIM, List.of(this.key), List.of(file, Double.toString(score(now))))
			.next()
			.map((removed) -> removed == 1L);
	}

	static double score(Instant time) {
		return time.toEpochMilli() / 1000.0;
	}

}
