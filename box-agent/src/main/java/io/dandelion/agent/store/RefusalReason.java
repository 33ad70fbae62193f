package io.dandelion.agent.store;

/**
 * Why a box refused a file frame, sent as {@code ERROR_CODE} in a {@code STORED} reply.
 * The names are wire values, frozen once released. Malformed frames are refused with the
 * {@code io.dandelion.protocol.frame.FileFrameException.Reason} name instead.
 */
public enum RefusalReason {

	/** A file frame arrived before PUBLISH; the box closes the connection. */
	PROTOCOL_VIOLATION,

	/** {@code FILE_PATH} could land outside the publisher's directory, or is unsafe. */
	PATH_REFUSED,

	/** Storing the file would take the store over {@code BOX_MAX_STORAGE}. */
	QUOTA_EXCEEDED,

	/**
	 * Storing the file would take its publisher's files on the box over
	 * {@code BOX_MAX_STORAGE_PER_PUBLISHER}.
	 */
	PUBLISHER_QUOTA_EXCEEDED,

	/** Storing the file would eat into the {@code BOX_MIN_FREE_DISK} reserve. */
	DISK_RESERVE,

	/** The content's SHA-256 is not the header's {@code SHA256}. */
	SHA256_MISMATCH,

	/** The content is longer than the box's frame limit. */
	TOO_LARGE,

	/**
	 * The file system failed while writing (disk full, I/O error); nothing was stored.
	 */
	WRITE_FAILED

}
