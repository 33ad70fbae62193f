package io.dandelion.publisher.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.redis.RedisKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The pool in Redis, where the original's readers (its {@code FileManager.ask}, the PHP
 * site) find it: {@code {pub}:SEARCH:{box}} as flat strings, replaced on each listing and
 * expiring when the entrances stop listing the box, and {@code {pub}:BOX_RANKING} with
 * the publisher's score of each known box.
 */
@Component
class SearchRepository {

	// DEL, HSET the fields, PEXPIRE: one step, so a reader never sees a half-written box
	private static final RedisScript<Long> REPLACE = RedisScript.of("""
			redis.call('DEL', KEYS[1])
			for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return 1
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	SearchRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Stores the listed boxes.
	 * @param listed the boxes
	 * @param expiry how long each is kept unless listed again
	 * @return completion
	 */
	Mono<Void> saveListed(Collection<BoxCandidate> listed, Duration expiry) {
		return Flux.fromIterable(listed).concatMap((box) -> {
			List<String> args = new ArrayList<>();
			args.add(Long.toString(expiry.toMillis()));
			for (Map.Entry<String, String> field : box.exchange().entrySet()) {
				args.add(field.getKey());
				args.add(field.getValue());
			}
			return this.redis.execute(REPLACE, List.of(this.keys.search(box.id())), args);
		}).then();
	}

	/**
	 * Writes the ranking: every known box with its score, forgotten boxes removed.
	 * @param ranking box ID to score
	 * @param forgotten boxes to remove
	 * @return completion
	 */
	Mono<Void> saveRanking(Map<String, Double> ranking, Collection<String> forgotten) {
		Mono<Long> removed = forgotten.isEmpty() ? Mono.just(0L)
				: this.redis.opsForZSet().remove(this.keys.boxRanking(), forgotten.toArray());
		Flux<Boolean> added = Flux.fromIterable(ranking.entrySet())
			.concatMap(
					(entry) -> this.redis.opsForZSet().add(this.keys.boxRanking(), entry.getKey(), entry.getValue()));
		return removed.thenMany(added).then();
	}

}
