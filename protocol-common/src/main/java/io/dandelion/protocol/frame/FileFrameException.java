package io.dandelion.protocol.frame;

/**
 * Why a binary file frame could not be decoded or encoded. It is the only exception
 * {@link FileFrameCodec} throws for frame bytes, so a box can refuse any malformed frame
 * with one {@code catch}.
 */
public class FileFrameException extends RuntimeException {

	private final Reason reason;

	/**
	 * Create an exception for the given reason.
	 * @param reason the machine-readable reason
	 * @param message a human-readable explanation that quotes offending input only in
	 * escaped, shortened form
	 */
	public FileFrameException(Reason reason, String message) {
		this(reason, message, null);
	}

	FileFrameException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * The machine-readable reason, for metrics and close codes.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * The ways a frame can be malformed.
	 */
	public enum Reason {

		/** The frame does not start with {@code <Dandelion>}. */
		MISSING_OPEN_TAG,

		/**
		 * No {@code </Dandelion>} follows the header, and the frame is too short to say
		 * the header is too large.
		 */
		MISSING_CLOSE_TAG,

		/** The header JSON is longer than the codec's header limit. */
		HEADER_TOO_LARGE,

		/** The content is longer than the codec's content limit. */
		CONTENT_TOO_LARGE,

		/**
		 * The header is not valid UTF-8 JSON (syntax, duplicate keys, trailing data,
		 * nesting or size limits).
		 */
		BAD_JSON,

		/** The header is valid JSON but not an object. */
		HEADER_NOT_OBJECT,

		/** The header has no {@code FILE_PATH}. */
		MISSING_FILE_PATH,

		/** {@code FILE_PATH} is not a non-empty string. */
		BAD_FILE_PATH,

		/** {@code TTL} is not a non-negative whole number of seconds within range. */
		BAD_TTL,

		/** {@code SHA256} is not 64 lowercase hexadecimal digits. */
		BAD_SHA256

	}

}
