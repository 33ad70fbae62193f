package io.dandelion.agent.heartbeat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.LuaScripts;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

/**
 * The box's own exchange fields in {@code {box}:SELF_EXCHANGE}, as the original kept them
 * (but replaced each time, not merged).
 */
@Repository
class SelfExchangeRepository {

	private static final RedisScript<Long> REPLACE = LuaScripts.fromClasspath("scripts/self-exchange-replace.lua",
			Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final String key;

	private final MessageCodec codec;

	SelfExchangeRepository(ReactiveStringRedisTemplate redis, RedisKeys keys, MessageCodec codec) {
		this.redis = redis;
		this.codec = codec;
		this.key = keys.selfExchange();
	}

	/**
	 * Replaces the stored fields.
	 * @param exchange the box's exchange data (traffic entries are not stored)
	 * @return completion
	 */
	Mono<Void> save(ExchangeRequest exchange) {
		Map<String, String> fields = this.codec.toFields(exchange);
		List<String> args = new ArrayList<>(fields.size() * 2);
		fields.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
		return this.redis.execute(REPLACE, List.of(this.key), args).then();
	}

}
