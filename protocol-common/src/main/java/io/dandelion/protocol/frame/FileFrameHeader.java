package io.dandelion.protocol.frame;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The JSON header of a binary file frame: where the file goes, how long the box keeps it,
 * an optional content hash and any extra keys the publisher added. Boxes ignore the
 * extras, but a decode then encode keeps them.
 *
 * @param filePath the {@code FILE_PATH}: the publisher's own path of the file, never
 * empty
 * @param ttl the {@code TTL}: whole seconds, zero meaning keep forever, at most
 * {@link #MAX_TTL}
 * @param sha256 the {@code SHA256} of the content as 64 lowercase hex digits, or
 * {@code null} when absent
 * @param extra every other header key, in wire order; values are JSON values (String,
 * Number, Boolean, {@code null}, List, Map) and the map is a deep, unmodifiable copy
 */
public record FileFrameHeader(String filePath, Duration ttl, String sha256, Map<String, Object> extra) {

	/** The TTL the original box applied when a frame carried none. */
	public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

	/**
	 * The longest TTL accepted, about 68 years: anything above is refused rather than
	 * clamped so that a box can add it to the current time without overflow.
	 */
	public static final Duration MAX_TTL = Duration.ofSeconds(Integer.MAX_VALUE);

	static final String FILE_PATH = "FILE_PATH";

	static final String TTL = "TTL";

	static final String SHA256 = "SHA256";

	private static final Pattern SHA256_PATTERN = Pattern.compile("[0-9a-f]{64}");

	public FileFrameHeader {
		Objects.requireNonNull(filePath, "filePath must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		if (filePath.isEmpty()) {
			throw new IllegalArgumentException("filePath must not be empty");
		}
		ExtraHeaders.checkWellFormed(filePath);
		if (ttl.isNegative() || ttl.getNano() != 0 || ttl.compareTo(MAX_TTL) > 0) {
			throw new IllegalArgumentException("ttl must be whole seconds between 0 and " + MAX_TTL.getSeconds());
		}
		if (sha256 != null && !isSha256(sha256)) {
			throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
		}
		extra = ExtraHeaders.copyOf((extra != null) ? extra : Map.of());
		for (String reserved : new String[] { FILE_PATH, TTL, SHA256 }) {
			if (extra.containsKey(reserved)) {
				throw new IllegalArgumentException(reserved + " is a component, not an extra header");
			}
		}
	}

	/**
	 * A header with the default TTL, no hash and no extras.
	 * @param filePath the {@code FILE_PATH}
	 */
	public FileFrameHeader(String filePath) {
		this(filePath, DEFAULT_TTL, null, Map.of());
	}

	/**
	 * A header with no hash and no extras.
	 * @param filePath the {@code FILE_PATH}
	 * @param ttl the {@code TTL}
	 */
	public FileFrameHeader(String filePath, Duration ttl) {
		this(filePath, ttl, null, Map.of());
	}

	/**
	 * Whether the box should keep the file until it is overwritten (the original's
	 * {@code TTL} 0).
	 * @return {@code true} when the TTL is zero
	 */
	public boolean keepForever() {
		return this.ttl.isZero();
	}

	static boolean isSha256(String value) {
		return SHA256_PATTERN.matcher(value).matches();
	}

}
