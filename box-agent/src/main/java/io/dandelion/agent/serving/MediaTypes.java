package io.dandelion.agent.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The content types of served files by extension, the same in both serving modes: the
 * builtin server looks them up here and the nginx configuration's {@code types} block is
 * generated from this table.
 */
final class MediaTypes {

	/** For extensions not in the table. */
	static final String DEFAULT = "application/octet-stream";

	/** Extension (lower case, no dot) to content type, HLS and DASH first. */
	static final Map<String, String> BY_EXTENSION;

	static {
		Map<String, String> types = new LinkedHashMap<>();
		types.put("m3u8", "application/vnd.apple.mpegurl");
		types.put("ts", "video/mp2t");
		types.put("m4s", "video/iso.segment");
		types.put("mp4", "video/mp4");
		types.put("m4v", "video/mp4");
		types.put("m4a", "audio/mp4");
		types.put("aac", "audio/aac");
		types.put("mp3", "audio/mpeg");
		types.put("mpd", "application/dash+xml");
		types.put("webm", "video/webm");
		types.put("vtt", "text/vtt");
		types.put("key", "application/octet-stream");
		types.put("json", "application/json");
		types.put("txt", "text/plain");
		types.put("html", "text/html");
		types.put("css", "text/css");
		types.put("js", "application/javascript");
		types.put("png", "image/png");
		types.put("jpg", "image/jpeg");
		types.put("jpeg", "image/jpeg");
		types.put("gif", "image/gif");
		types.put("svg", "image/svg+xml");
		types.put("webp", "image/webp");
		BY_EXTENSION = Collections.unmodifiableMap(types);
	}

	private MediaTypes() {
	}

	/**
	 * The content type of a file name.
	 * @param fileName the name
	 * @return its type, {@link #DEFAULT} when unknown
	 */
	static String of(String fileName) {
		int dot = fileName.lastIndexOf('.');
		if (dot < 0) {
			return DEFAULT;
		}
		return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
	}

}
