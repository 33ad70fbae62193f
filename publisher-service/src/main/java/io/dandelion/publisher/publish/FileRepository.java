package io.dandelion.publisher.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.Set;

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
 * Where files are, in Redis: the publisher's own {@code {pub}:FILE:STATE:{name}},
 * {@code {pub}:FILE:REPLICAS:{name}} and {@code {pub}:BOX_FILES:{box}}, all by public
 * name, and the original's {@code {pub}:FILE:PROCESSED_FILES:{FILE_PATH}} that the PHP
 * site and the channel module read ({@code ID} of a box, {@code MSG}), by the
 * {@code FILE_PATH} the task was pushed with. The state hash also binds the name to its
 * local file ({@code LOCAL_PATH}, never shown): a name belongs to one local file at a
 * time. Replicas are recorded with one script so that the keys of one file never
 * disagree. What it wrote or read of recent files it keeps in memory too
 * ({@link RecentFiles}): {@link #located}, on every viewer's redirect, answers from it
 * without a Redis call, also while Redis is unavailable.
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

	/**
	 * Field of the state hash: the local file the name belongs to; internal, never in an
	 * answer.
	 */
	public static final String LOCAL_PATH = "LOCAL_PATH";

	/**
	 * Field of the state hash: the {@code FILE_PATH} the task was pushed with when it is
	 * not the name (a local path), the key of its processed file; internal.
	 */
	public static final String PUSHED_FILE_PATH = "PUSHED_FILE_PATH";

	/** Field of the processed file: the file's public name. */
	public static final String PUBLIC_NAME = "PUBLIC_NAME";

	/** Field of the processed file: the publisher's redirect to the best box. */
	public static final String REDIRECT = "REDIRECT";

	// KEYS: state. ARGV: state, ttl, now, local path, pushed FILE_PATH ('' when it is the
	// name). Binds the name to the local file unless another local file holds it (a
	// failed file holds nothing: no box serves it)
	private static final RedisScript<Long> CLAIM = RedisScript.of("""
			local bound = redis.call('HGET', KEYS[1], 'LOCAL_PATH')
			if bound and bound ~= ARGV[4] and redis.call('HGET', KEYS[1], 'STATE') ~= 'FAILED' then return 0 end
			redis.call('HSET', KEYS[1], 'STATE', ARGV[1], 'TTL', ARGV[2], 'UPDATED_AT', ARGV[3], 'LOCAL_PATH', ARGV[4])
			redis.call('HDEL', KEYS[1], 'REASON')
			if ARGV[5] == '' then
			  redis.call('HDEL', KEYS[1], 'PUSHED_FILE_PATH')
			else
			  redis.call('HSET', KEYS[1], 'PUSHED_FILE_PATH', ARGV[5])
			end
			return 1
			""", Long.class);

	// KEYS: state, replicas, processed, box files. ARGV: box, stored-at, expires-at (0:
	// never), repair (1/0), size, sha256, ttl, name, then processed-file fields in pairs.
	// Other content than the recorded (a repair read a local file changed since): the
	// boxes holding the old one no longer hold the file
	private static final RedisScript<Long> RECORD = RedisScript.of("""
			local recorded = redis.call('HGET', KEYS[1], 'SHA256')
			if recorded and recorded ~= ARGV[6] then redis.call('DEL', KEYS[2]) end
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
	// points at another replica, or is deleted when none is left
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

	private final Clock clock;

	private final RecentFiles recent = new RecentFiles();

	FileRepository(ReactiveStringRedisTemplate redis, RedisKeys keys, ObjectMapper mapper, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.mapper = mapper;
		this.clock = clock;
	}

	/**
	 * Records a new state, keeping the other fields, and binds the name to the task's
	 * local file unless another local file holds it.
	 * @param task the task, with its name
	 * @param state {@code QUEUED} or {@code SENDING}
	 * @param now Unix ms
	 * @return {@code true} when recorded, {@code false} when the name belongs to another
	 * local file
	 */
	public Mono<Boolean> claim(PublishTask task, String state, long now) {
		String pushed = task.filePath().equals(task.name()) ? "" : task.filePath();
		return this.redis
			.execute(CLAIM, List.of(this.keys.fileState(task.name())),
					List.of(state, Long.toString(task.ttlSeconds()), Long.toString(now), task.localPath(), pushed))
			.next()
			.map((claimed) -> claimed == 1);
	}

	/**
	 * Whether a name belongs to another local file than the given one, the rule
	 * {@link #claim} applies.
	 * @param name the name
	 * @param localPath the local file that would take it
	 * @return {@code true} when another file holds it
	 */
	public Mono<Boolean> isHeldByAnother(String name, String localPath) {
		return state(name).map((state) -> state.get(LOCAL_PATH) != null && !state.get(LOCAL_PATH).equals(localPath)
				&& !"FAILED".equals(state.get(STATE)));
	}

	/**
	 * Forgets every replica of a file and the old version's expiry, before a new version
	 * is published.
	 * @param name the file's name
	 * @return completion
	 */
	Mono<Void> clearReplicas(String name) {
		return this.redis.delete(this.keys.fileReplicas(name))
			.then(this.redis.opsForHash().remove(this.keys.fileState(name), EXPIRES_AT))
			.then(Mono.fromRunnable(() -> this.recent.sending(name)));
	}

	/**
	 * Marks a file failed, kept for the retention time.
	 * @param name the file's name
	 * @param reason why
	 * @param now Unix ms
	 * @param retention how long the state is kept
	 * @return completion
	 */
	Mono<Void> fail(String name, String reason, long now, Duration retention) {
		String key = this.keys.fileState(name);
		return this.redis.opsForHash()
			.putAll(key, Map.of(STATE, "FAILED", REASON, reason, UPDATED_AT, Long.toString(now)))
			.then(this.redis.expire(key, retention))
			.then(Mono.fromRunnable(() -> this.recent.forget(name)));
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
		String name = task.name();
		long expires = (task.ttlSeconds() > 0) ? storedAt + task.ttlSeconds() * 1000 : 0;
		List<String> args = new ArrayList<>(List.of(boxId, Long.toString(storedAt), Long.toString(expires),
				task.repair() ? "1" : "0", Long.toString(size), sha256, Long.toString(task.ttlSeconds()), name));
		Map<String, String> processed = new LinkedHashMap<>();
		processed.put("MSG", "Success");
		processed.put("FILE_PATH", task.filePath());
		if (!task.repair()) {
			processed.put("TTL", Long.toString(task.ttlSeconds()));
			task.extra().forEach((field, value) -> processed.put(field, text(value)));
		}
		processed.put(PUBLIC_NAME, name);
		processed.put(REDIRECT, PublicNames.redirect(name));
		processed.put("SIZE", Long.toString(size));
		processed.put("SHA256", sha256);
		processed.put("STORED_AT", Long.toString(storedAt));
		processed.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		return this.redis
			.execute(RECORD,
					List.of(this.keys.fileState(name), this.keys.fileReplicas(name),
							this.keys.processedFiles(task.filePath()), this.keys.boxFiles(boxId)),
					args)
			.then(Mono
				.fromRunnable(() -> this.recent.stored(name, boxId, storedAt, expires, task.repair(), size, sha256)));
	}

	private String text(Object value) {
		if (value instanceof String string) {
			return string;
		}
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			// An extra key's value came from JSON, so this cannot happen; its text form
			// keeps the field readable should it ever
			return String.valueOf(value);
		}
	}

	/**
	 * Forgets that a box holds a file.
	 * @param name the file's name
	 * @param pushedFilePath the {@code FILE_PATH} its task was pushed with, the key of
	 * its processed file
	 * @param boxId the box
	 * @return how many replicas are left
	 */
	Mono<Long> forgetReplica(String name, String pushedFilePath, String boxId) {
		return this.redis
			.execute(FORGET, List.of(this.keys.fileReplicas(name), this.keys.processedFiles(pushedFilePath)),
					List.of(boxId))
			.next()
			.doOnNext((left) -> this.recent.forget(name, boxId));
	}

	/**
	 * The files a box holds that have not expired, latest expiry first.
	 * @param boxId the box
	 * @param now Unix ms
	 * @return file names with their expiry (Unix ms, infinite for TTL 0)
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
	 * The state hash of a file, internal fields ({@link #LOCAL_PATH},
	 * {@link #PUSHED_FILE_PATH}) included: callers that answer show only the others.
	 * @param name the file's name
	 * @return its fields, empty when unknown
	 */
	public Mono<Map<String, String>> state(String name) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.fileState(name))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	/**
	 * What the publisher published under a name, once a box acknowledged it: the SHA-256
	 * and size it recorded and the boxes it recorded as holding it. A file being sent
	 * anew (its replicas cleared) or failed has none, since its recorded digest may be
	 * that of an earlier version.
	 * @param name the file's name
	 * @return the published content, empty when no box holds the current version
	 */
	public Mono<Optional<Published>> published(String name) {
		return located(name).map((location) -> {
			Map<String, String> state = location.state();
			String sha256 = state.get(SHA256);
			if (!"STORED".equals(state.get(STATE)) || sha256 == null || location.replicas().isEmpty()) {
				return Optional.empty();
			}
			long size;
			try {
				size = Long.parseLong(state.getOrDefault(SIZE, "-1"));
			}
			catch (NumberFormatException ex) {
				// Not written by this publisher: unknown size, as documented
				size = -1;
			}
			return Optional.of(new Published(sha256, size, location.replicas().keySet()));
		});
	}

	/**
	 * How many of the files this publisher knows in memory (the last
	 * {@value RecentFiles#CAPACITY} it stored or looked up) have fewer live replicas than
	 * wanted and have not expired; files being sent are not counted.
	 * @param wanted the replicas wanted
	 * @param live whether a box is live
	 * @return the count
	 */
	int underReplicated(int wanted, Predicate<String> live) {
		return this.recent.underReplicated(wanted, live, this.clock.millis());
	}

	/**
	 * Where a file is, to send viewers there: as this publisher knows it when it stored
	 * or looked up the file lately, else as Redis has it. The publisher is the only
	 * writer of its file keys and updates what it knows wherever it writes them, so a
	 * viewer's redirect makes no Redis call for a known file, and viewers still reach its
	 * boxes while Redis is unavailable.
	 * @param name the file's name
	 * @return its state and replicas, both empty when unknown; the failure of Redis when
	 * it is unavailable and the file is not known here
	 */
	public Mono<Location> located(String name) {
		Optional<RecentFiles.Known> known = this.recent.get(name, this.clock.millis());
		if (known.isPresent()) {
			return Mono.just(Location.lastKnown(known.get()));
		}
		long changesBefore = this.recent.changes();
		return state(name).zipWith(replicas(name)).map((read) -> {
			this.recent.read(name, read.getT1(), read.getT2(), changesBefore);
			return new Location(read.getT1(), read.getT2());
		});
	}

	/**
	 * The boxes holding a file.
	 * @param name the file's name
	 * @return box ID to the Unix ms it was stored at
	 */
	public Mono<Map<String, Long>> replicas(String name) {
		return this.redis.<String, String>opsForHash()
			.entries(this.keys.fileReplicas(name))
			.collectMap(Map.Entry::getKey, (entry) -> Long.parseLong(entry.getValue()));
	}

	/**
	 * Where a file is.
	 *
	 * @param state its state hash (internal fields included), empty when unknown
	 * @param replicas box ID to the Unix ms it was stored at
	 */
	public record Location(Map<String, String> state, Map<String, Long> replicas) {

		public Location {
			state = Map.copyOf(state);
			replicas = Map.copyOf(replicas);
		}

		static Location lastKnown(RecentFiles.Known known) {
			if (known.isSending()) {
				return new Location(Map.of(STATE, "SENDING"), Map.of());
			}
			Map<String, String> state = new HashMap<>();
			state.put(STATE, "STORED");
			state.put(SHA256, known.sha256());
			state.put(SIZE, Long.toString(known.size()));
			if (known.expiresAt() > 0) {
				state.put(EXPIRES_AT, Long.toString(known.expiresAt()));
			}
			return new Location(state, known.replicas());
		}

	}

	/**
	 * A file as published: what any copy of it must hash to.
	 *
	 * @param sha256 its SHA-256, lowercase hex
	 * @param size its size in bytes, -1 when not recorded
	 * @param boxes the boxes recorded as holding it
	 */
	public record Published(String sha256, long size, Set<String> boxes) {

		public Published {
			boxes = Set.copyOf(boxes);
		}

	}

}
