package io.dandelion.protocol.store;

/**
 * Thrown when a pushed file's path, or the publisher ID that names its directory, could
 * land outside the publisher's directory on a box or is otherwise unsafe to write.
 */
public class PathRefusedException extends RuntimeException {

	private final Reason reason;

	/**
	 * Create an exception for the given reason.
	 * @param reason the machine-readable reason
	 * @param message a human-readable explanation quoting the offending input in escaped,
	 * shortened form
	 */
	public PathRefusedException(Reason reason, String message) {
		this(reason, message, null);
	}

	PathRefusedException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * The machine-readable reason, for metrics and logs.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * The ways a path can be refused.
	 */
	public enum Reason {

		/** The publisher ID is not {@code publisher-} and 32 lowercase hex digits. */
		BAD_PUBLISHER_ID,

		/** The file path is empty or only slashes. */
		EMPTY_PATH,

		/** The file path ends with a slash, so it names a directory. */
		TRAILING_SLASH,

		/** A segment is {@code .} or {@code ..}. */
		DOT_SEGMENT,

		/** A segment spells {@code .} or {@code ..} with {@code %2e}. */
		ENCODED_DOT_SEGMENT,

		/** The path holds NUL or another ISO control character. */
		CONTROL_CHARACTER,

		/** The path holds a back-slash, a separator on Windows. */
		BACKSLASH,

		/** The first segment starts with a Windows drive letter such as {@code C:}. */
		DRIVE_LETTER,

		/** The path holds an unpaired UTF-16 surrogate, which has no UTF-8 file name. */
		MALFORMED_UNICODE,

		/** A segment is longer than 255 UTF-8 bytes. */
		SEGMENT_TOO_LONG,

		/** The path is longer than 4096 UTF-8 bytes. */
		PATH_TOO_LONG,

		/** The path has more than 64 segments. */
		TOO_MANY_SEGMENTS,

		/**
		 * A segment starts with the prefix of a node's own files
		 * ({@link StoragePaths#RESERVED_PREFIX}).
		 */
		RESERVED_NAME,

		/** The file system cannot represent the path. */
		UNREPRESENTABLE,

		/** An existing directory or file on the way to the target is a symbolic link. */
		SYMBOLIC_LINK,

		/** The path resolves outside the publisher's directory. */
		OUTSIDE_ROOT,

		/** The file system could not be inspected, so confinement could not be proved. */
		UNVERIFIABLE

	}

}
