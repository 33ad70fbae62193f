package io.dandelion.agent.traffic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the file server's access log, written in nginx's
 * {@code log_format dandelion '$remote_addr [$time_local] "$request" $status $bytes_sent';}.
 *
 * @param url the requested path without its query (a signed URL's
 * {@code ?md5=…&expires=…} differs per viewer and per hour; entrances count the file),
 * {@code null} when the request line did not read
 * @param status the HTTP status
 * @param bytesSent the bytes sent, headers included
 * @param datetime {@code $time_local}, e.g. {@code 25/Nov/2026:17:20:01 +0000}
 */
record AccessLogLine(String url, int status, long bytesSent, String datetime) {

	private static final Pattern LINE = Pattern
		.compile("^\\S+ \\[([^\\]]{1,64})\\] \"([^\"]*)\" (\\d{3}) (\\d{1,18})\\s*$");

	/**
	 * Reads one line.
	 * @param line the line without its end
	 * @return the line's fields, or {@code null} when it is not in the expected format
	 */
	static AccessLogLine parse(String line) {
		Matcher matcher = LINE.matcher(line);
		if (!matcher.matches()) {
			return null;
		}
		return new AccessLogLine(url(matcher.group(2)), Integer.parseInt(matcher.group(3)),
				Long.parseLong(matcher.group(4)), matcher.group(1));
	}

	/**
	 * The path of the target of {@code METHOD TARGET PROTOCOL} (or of HTTP/0.9's
	 * {@code GET TARGET}).
	 */
	private static String url(String request) {
		String[] parts = request.split(" ");
		if ((parts.length != 2 && parts.length != 3) || !parts[1].startsWith("/")) {
			return null;
		}
		int query = parts[1].indexOf('?');
		return (query < 0) ? parts[1] : parts[1].substring(0, query);
	}

	/**
	 * Whether the request was served, as the original counted it.
	 * @return {@code true} below status 400 with a readable URL
	 */
	boolean successful() {
		return this.status < 400 && this.url != null;
	}

}
