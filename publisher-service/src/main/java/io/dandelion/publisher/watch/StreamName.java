package io.dandelion.publisher.watch;

import java.util.regex.Pattern;

/**
 * A live stream's name as it appears in {@code /watch/{stream}} and
 * {@code /live/{stream}/index.m3u8}: the RTMP stream key, letters, digits, {@code -} and
 * {@code _} only.
 *
 * @param value the name
 */
record StreamName(String value) {

	/** Longest name accepted; RTMP stream keys are short. */
	static final int MAX_LENGTH = 64;

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

	StreamName {
		if (value == null || !VALID.matcher(value).matches()) {
			throw new StreamNameException(value);
		}
	}

	static StreamName of(String value) {
		return new StreamName(value);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
