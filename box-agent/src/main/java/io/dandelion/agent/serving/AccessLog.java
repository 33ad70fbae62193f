package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log of served files, {@code <run directory>/access.log}, in nginx's format
 * {@value #NGINX_FORMAT}, e.g.
 * {@code 127.0.0.1 [25/Nov/2026:17:20:01 +0000] "GET /publisher-0c1d…/tmp/a.ts HTTP/1.1" 200 4432}.
 * The box's traffic tailer parses these lines, so both serving modes write them alike.
 */
final class AccessLog {

	/** The nginx {@code log_format} of the access log. */
	static final String NGINX_FORMAT = "'$remote_addr [$time_local] \"$request\" $status $bytes_sent'";

	/** The file name in the run directory. */

	private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
			Locale.ENGLISH);

	private final Path file;

	AccessLog(Path file) {
		this.file = file;
	}

	/**
	 * One line, escaped as nginx escapes {@code $request}: quotes, back-slashes, control
	 * and non-ASCII bytes as {@code \xHH}.
	 * @param remoteAddress the client's address
	 * @param time when the request was served
	 * @param request the request line
	 * @param status the status sent
	 * @param bytesSent the bytes sent, headers included
	 * @return the line, without line feed
	 */
	static String line(String remoteAddress, ZonedDateTime time, String request, int status, long bytesSent) {
		return remoteAddress + " [" + TIME_LOCAL.format(time) + "] \"" + escape(request) + "\" " + status + " "
				+ bytesSent;
	}

	/**
	 * Appends one line. The file is opened for each line (O_APPEND), so a tailer may
	 * rotate or delete it at any time; blocking, run it on the store scheduler.
	 * @param line the line, without line feed
	 * @throws IOException when the file cannot be written
	 */
	void append(String line) throws IOException {
		Files.write(this.file, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
				StandardOpenOption.APPEND, StandardOpenOption.WRITE);
	}

	Path file() {
		return this.file;
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
				escaped.append(String.format("\\x%02X", c));
			}
			else {
				escaped.append((char) c);
			}
		}
		return escaped.toString();
	}

}
