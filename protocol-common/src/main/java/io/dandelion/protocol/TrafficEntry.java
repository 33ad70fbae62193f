package io.dandelion.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One successful request that a box's file server answered, as the box reports it to the
 * entrance. On the wire each entry is a top-level EXCHANGE field named
 * {@code {box-id}:TRAFFIC_FLOW:{log-id}} whose value is an object of strings
 * {@code {"url", "status", "size"}} (plus {@code "datetime"}, which the original's README
 * promised).
 *
 * @param logId the entry's unique ID within its box, e.g. {@code log-6e0f…}; the entrance
 * counts an ID once
 * @param url the requested path
 * @param status the HTTP status
 * @param size the bytes sent
 * @param datetime when it was served, in the access log's format (e.g.
 * {@code 27/Sep/2017:03:20:10 +0000}); optional
 */
public record TrafficEntry(String logId, String url, int status, long size, String datetime) {

	/** The part of a wire field name that marks a traffic entry. */
	public static final String KEY_MARKER = ":TRAFFIC_FLOW:";

	private static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	public TrafficEntry {
		Objects.requireNonNull(logId, "logId");
		Objects.requireNonNull(url, "url");
		if (!LOG_ID.matcher(logId).matches()) {
			throw new IllegalArgumentException("traffic log ID must be 1-64 letters, digits, '-' or '_'");
		}
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("traffic status must be an HTTP status (100-599), not " + status);
		}
		if (size < 0) {
			throw new IllegalArgumentException("traffic size must not be negative");
		}
	}

	/**
	 * The wire field name of this entry for the given box, as the original wrote it.
	 * @param boxId the reporting box
	 * @return e.g. {@code box-3f2a…:TRAFFIC_FLOW:log-6e0f…}
	 */
	public String wireKey(String boxId) {
		return boxId + KEY_MARKER + this.logId;
	}

}
