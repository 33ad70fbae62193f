package io.dandelion.entrance.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.LuaScripts;

/**
 * The REPORTs publishers made against boxes, in Redis: {@code {ent}:REPORTS:{box}} (hash
 * {@code count, last-report-at, last-file-path, last-publisher}) and
 * {@code {ent}:REPORTERS:{box}} (publisher ID to the Unix ms of its latest report). Both
 * expire a retention time after the last report.
 */
@Repository
public class ReportRepository {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RECORD = LuaScripts.fromClasspath("scripts/record-report.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> COUNT_REPORTERS = LuaScripts.fromClasspath("scripts/count-reporters.lua",
			List.class);

	private static final String COUNT = "count";

	private static final String LAST_REPORT_AT = "last-report-at";

	private static final String LAST_FILE_PATH = "last-file-path";

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	public ReportRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Counts one report, atomically.
	 * @param boxId the box reported
	 * @param publisherId the publisher that reported it
	 * @param filePath the file it served wrongly
	 * @param now the time of the report
	 * @param window how far back a reporter counts
	 * @param retention how long the box's reports are kept after this one
	 * @return the box's reports now, distinct reporters counted within the window
	 */
	public Mono<BoxReports> record(String boxId, String publisherId, String filePath, Instant now, Duration window,
			Duration retention) {
		return this.redis
			.execute(RECORD, List.of(this.keys.reports(boxId), this.keys.reporters(boxId)),
					List.of(Long.toString(now.toEpochMilli()), publisherId, filePath, Long.toString(window.toMillis()),
							Long.toString(retention.toMillis())))
			.next()
			.map((result) -> new BoxReports(number(result.get(0)), number(result.get(1)), now, filePath));
	}

	/**
	 * How many distinct publishers reported each of some boxes since a time.
	 * @param boxIds the boxes
	 * @param since the earliest report that counts
	 * @return box ID to its count, for the boxes with at least one
	 */
	public Mono<Map<String, Long>> reporters(Collection<String> boxIds, Instant since) {
		if (boxIds.isEmpty()) {
			return Mono.just(Map.of());
		}
		List<String> ids = new ArrayList<>(boxIds);
		List<String> reporterKeys = ids.stream().map(this.keys::reporters).toList();
		return this.redis.execute(COUNT_REPORTERS, reporterKeys, List.of(Long.toString(since.toEpochMilli())))
			.next()
			.map((counts) -> {
				Map<String, Long> byBox = new HashMap<>();
				for (int i = 0; i < ids.size(); i++) {
					long count = number(counts.get(i));
					if (count > 0) {
						byBox.put(ids.get(i), count);
					}
				}
				return byBox;
			});
	}

	/**
	 * A box's reports, if it has any on record.
	 * @param boxId the box
	 * @param since the earliest report whose publisher counts as a reporter
	 * @return its reports, or empty
	 */
	public Mono<BoxReports> find(String boxId, Instant since) {
		Mono<Map<String, String>> summary = this.redis.<String, String>opsForHash()
			.entries(this.keys.reports(boxId))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.filter((fields) -> fields.containsKey(COUNT));
		Mono<Long> reporters = this.redis.opsForZSet()
			.count(this.keys.reporters(boxId),
					Range.rightUnbounded(Range.Bound.inclusive((double) since.toEpochMilli())));
		return summary.zipWith(reporters, (fields, count) -> new BoxReports(parse(fields.get(COUNT)), count,
				instant(fields.get(LAST_REPORT_AT)), fields.get(LAST_FILE_PATH)));
	}

	private static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	// Written by the script, or by an operator by hand: an unreadable figure counts 0
	private static long parse(String value) {
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static Instant instant(String millis) {
		long value = parse(millis);
		return (value > 0) ? Instant.ofEpochMilli(value) : null;
	}

}
