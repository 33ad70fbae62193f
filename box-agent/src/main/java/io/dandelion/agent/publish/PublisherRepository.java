package io.dandelion.agent.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.redis.RedisKeys;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The hashes {@code {box}:EXCHANGE:{publisher-id}}: each publisher's last PUBLISH, as
 * string fields. Replaced, never merged, so fields a publisher stopped sending do not
 * linger.
 */
@Component
class PublisherRepository {

	private static final RedisScript<Long> REPLACE = RedisScript.of("""
			redis.call('DEL', KEYS[1])
			return redis.call('HSET', KEYS[1], unpack(ARGV))
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	PublisherRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Replaces a publisher's hash with the given fields.
	 * @param publisherId the publisher
	 * @param fields the PUBLISH message's fields, as strings
	 * @return completes when stored
	 */
	Mono<Void> save(String publisherId, Map<String, String> fields) {
		List<String> arguments = new ArrayList<>();
		fields.forEach((name, value) -> {
			arguments.add(name);
			arguments.add(value);
		});
		return this.redis.execute(REPLACE, List.of(this.keys.exchange(publisherId)), arguments).then();
	}

}
