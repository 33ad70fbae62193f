package io.dandelion.entrance.hostile;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;

import io.dandelion.protocol.testing.TestRedis;

/**
 * Everything one node holds in the shared test Redis, read key by key (found with
 * {@code SCAN}, never {@code KEYS}) so that two snapshots compare equal exactly when
 * nothing of the node changed. Expiry times are left out: they run down by themselves.
 */
final class RedisSnapshot {

	private RedisSnapshot() {
	}

	/**
	 * The contents of every key starting with the prefix.
	 * @param prefix the node's key prefix, e.g. {@code entrance-9a8b…:}
	 * @return key to its type and contents, sorted
	 */
	static Map<String, Object> of(String prefix) {
		RedisCommands<String, String> redis = TestRedis.commands();
		Map<String, Object> snapshot = new TreeMap<>();
		ScanArgs args = ScanArgs.Builder.matches(escapeGlob(prefix) + "*").limit(500);
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = redis.scan(cursor, args);
			for (String key : page.getKeys()) {
				snapshot.put(key, contents(redis, key));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		return snapshot;
	}

	private static Object contents(RedisCommands<String, String> redis, String key) {
		String type = redis.type(key);
		return switch (type) {
			case "string" -> "string " + redis.get(key);
			case "hash" -> new TreeMap<>(redis.hgetall(key));
			case "set" -> new TreeSet<>(redis.smembers(key));
			case "zset" -> redis.zrangeWithScores(key, 0, -1)
				.stream()
				.collect(Collectors.toMap((member) -> member.getValue(), (member) -> member.getScore(), (a, b) -> a,
						TreeMap::new));
			case "list" -> redis.lrange(key, 0, -1);
			case "stream" -> "stream of " + redis.xlen(key);
			// Expired between SCAN and TYPE
			default -> type;
		};
	}

	private static String escapeGlob(String prefix) {
		StringBuilder escaped = new StringBuilder();
		for (char c : prefix.toCharArray()) {
			if ("*?[]\\^".indexOf(c) >= 0) {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
