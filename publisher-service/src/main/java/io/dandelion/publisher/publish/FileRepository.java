package io.dandelion.publisher.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.redis.RedisKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Where files are, in Redis: the publisher's own {@code {pub}:FILE:STATE:{path}},
 * {@code {pub}:FILE:REPLICAS:{path}} and {@code {pub}:BOX_FILES:{box}}, and the
 * original's {@code {pub}:FILE:PROCESSED_FILES:{path}} that the PHP site and the channel
 * module read ({@code ID} of a box, {@code MSG}). Replicas are recorded with one script
 * so that the keys of one file never disagree.
 */
@Component
public class FileRepository {

	/**
	 * Field of the state hash: {@code QUEUED}, {@code SENDING}, {@code STORED},
	 * {@code FAILED}.
	 */
	public static final String STATE = "STATE";

	/** Field of the state hash: why the file failed. */
	public static final String REASON = "REASON";

	/** Field of the state hash: the content's size in bytes. */
	public static final String SIZE = "SIZE";

	/** Field of the state hash: the content's SHA-256. */
	public static final String SHA256 = "SHA256";

	/** Field of the state hash: the TTL in seconds. */
	public static final String TTL = "TTL";

	/** Field of the state hash: Unix ms the file expires at, absent for TTL 0. */
	public static final String EXPIRES_AT = "EXPIRES_AT";

	/** Field of the state hash: Unix ms of the last change. */
	public static final String UPDATED_AT = "UPDATED_AT";

	// KEYS: state, replicas, processed, box files. ARGV: box, stored-at, expires-at (0:
	// never), repair (1/0), size, sha256, ttl, then processed-file fields in pairs
	private static final RedisScript<Long> RECORD = RedisScript.of("""
			local expires = tonumber(ARGV[3])
			if ARGV[4] == '1' then
			  local known = tonumber(redis.call('HGET', KEYS[1], 'EXPIRES_AT') or '0')
			  if known and known > 0 then expires = known end
			end
			redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
			redis.call('ZADD', KEYS[4], (expires > 0) and expires or '+inf', ARGV[8])
			redis.call('HSET', KEYS[1], 'STATE', 'STORED', 'SIZE', ARGV[5], 'SHA256', ARGV[6], 'TTL', ARGV[7],
			  'UPDATED_AT', ARGV[2])
			redis.call('HDEL', KEYS[1], 'REASON')
			local current = redis.call('HGET', KEYS[3], 'ID')
			if not current or redis.call('HEXISTS', KEYS[2], current) == 0 then
			  redis.call('HSET', KEYS[3], 'ID', ARGV[1])
			end
			for i = 9, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
			if expires > 0 then
			  redis.call('HSET', KEYS[1], 'EXPIRES_AT', expires)
			  for i = 1, 3 do redis.call('PEXPIREAT', KEYS[i], expires) end
			else
			  redis.call('HDEL', KEYS[1], 'EXPIRES_AT')
			  for i = 1, 3 do redis.call('PERSIST', KEYS[i]) end
			end
			return 1
			""", Long.class);

	// KEYS: replicas, processed. ARGV: box. Forgets one replica; the processed file
	// points
	// at another replica, or is deleted when none is left
	private static final RedisScript<Long> FORGET = RedisScript.of("""
			redis.call('HDEL', KEYS[1], ARGV[1])
			if redis.call('HGET', KEYS[2], 'ID') == ARGV[1] then
			  local others = redis.call('HKEYS', KEYS[1])
			  if #others > 0 then redis.call('HSET', KEYS[2], 'ID', others[1]) else redis.call('DEL', KEYS[2]) end
			end
			return redis.call('HLEN', KEYS[1])
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final ObjectMapper mapper;

	FileRepository(ReactiveStringRedisTemplate redis, RedisKeys keys, ObjectMapper mapper) {
		this.redis = redis;
		this.keys = keys;
		this.mapper = mapper;
	}

	/**
	 * Records a new state, keeping the other fields.
	 * @param filePath the file
	 * @param state {@code QUEUED} or {@code SENDING}
	 * @param ttlSeconds the file's TTL
	 * @param now Unix ms
	 * @return completion
	 */
	public Mono<Void> mark(String filePath, String state, long ttlSeconds, long now) {
		return this.redis.opsForHash()
			.putAll(this.keys.fileState(filePath),
					Map.of(STATE, state, TTL, Long.toString(ttlSeconds), UPDATED_AT, Long.toString(now)))
			.then(this.redis.opsForHash().remove(this.keys.fileState(filePath), REASON))
			.then();
	}

	/**
	 * Forgets every replica of a file, before a new version is published.
	 * @param filePath the file
	 * @return completion
	 */
	Mono<Void> clearReplicas(String filePath) {
		return this.redis.delete(this.keys.fileReplicas(filePath)).then();
	}

	/**
	 * Marks a file failed, kept for the retention time.
	 * @param filePath the file
	 * @param reason why
	 * @param now Unix ms
	 * @param retention how long the state is kept
	 * @return completion
	 */
	Mono<Void> fail(String filePath, String reason, long now, Duration retention) {
		String key = this.keys.fileState(filePath);
		return this.redis.opsForHash()
			.putAll(key, Map.of(STATE, "FAILED", REASON, reason, UPDATED_AT, Long.toString(now)))
			.then(this.redis.expire(key, retention))
			.then();
	}

	/**
	 * Records that a box acknowledged a file with the right SHA-256.
	 * @param task the task
	 * @param boxId the box
	 * @param storedAt Unix ms
	 * @param size the content's size
	 * @param sha256 its digest
	 * @return completion
	 */
	Mono<Void> recordReplica(PublishTask task, String boxId, long storedAt, long size, String sha256) {
		String path = task.filePath();
		long expires = (task.ttlSeconds() > 0) ? storedAt + task.ttlSeconds() * 1000 : 0;
		List<String> args = new ArrayList<>(List.of(boxId, Long.toString(storedAt), Long.toString(expires),
				task.repair() ? "1" : "0", Long.toString(size), sha256, Long.toString(task.ttlSeconds()), path));
		Map<String, String> processed = new LinkedHashMap<>();
		processed.put("MSG", "Success");
		processed.put("FILE_PATH", path);
		if (!task.repair()) {
			processed.put("TTL", Long.toString(task.ttlSeconds()));
			task.extra().forEach((name, value) -> processed.put(name, text(value)));
		}
		processed.put("SIZE", Long.toString(size));
		processed.put("SHA256", sha256);
		processed.put("STORED_AT", Long.toString(storedAt));
		processed.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
		return this.redis
			.execute(RECORD, List.of(this.keys.fileState(path), this.keys.fileReplicas(path),
					this.keys.processedFiles(path), this.keys.boxFiles(boxId)), args)
			.then();
	}

	private String text(Object value) {
		if (value instanceof String string) {
			return string;
		}
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			return String.valueOf(value);
		}
	}

	/**
	 * Forgets that a box holds a file.
	 * @param filePath the file
	 * @param boxId the box
	 * @return how many replicas are left
	 */
	Mono<Long> forgetReplica(String filePath, String boxId) {
		return this.redis
			.execute(FORGET, List.of(this.keys.fileReplicas(filePath), this.keys.processedFiles(filePath)),
					List.of(boxId))
			.next();
	}

	/**
	 * The files a box holds that have not expired, latest expiry first.
	 * @param boxId the box
	 * @param now Unix ms
	 * @return file paths with their expiry (Unix ms, infinite for TTL 0)
	 */
	Flux<Map.Entry<String, Double>> liveFilesOf(String boxId, long now) {
		return this.redis.opsForZSet()
			.reverseRangeByScoreWithScores(this.keys.boxFiles(boxId),
					Range.closed((double) now, Double.POSITIVE_INFINITY))
			.map((tuple) -> Map.entry(tuple.getValue(), tuple.getScore()));
	}

	/**
	 * Forgets what a box held.
	 * @param boxId the box
	 * @return completion
	 */
	Mono<Void> forgetBox(String boxId) {
		return this.redis.delete(this.keys.boxFiles(boxId)).then();
	}

	/**
	 * The state hash of a file.
	 * @param filePath the file
	 * @return its fields, empty when unknown
	 */
	public Mono<Map<String, String>> state(String filePath) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.fileState(filePath))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	/**
	 * The boxes holding a file.
	 * @param filePath the file
	 * @return box ID to the Unix ms it was stored at
	 */
	public Mono<Map<String, Long>> replicas(String filePath) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.fileReplicas(filePath))
			.collectMap(Map.Entry::getKey, (entry) -> Long.parseLong(entry.getValue()));
	}

}
