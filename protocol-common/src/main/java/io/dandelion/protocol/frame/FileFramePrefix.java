package io.dandelion.protocol.frame;

import java.util.Objects;

/**
 * The header of a frame read from the start of a stream, and where the content begins, so
 * that a box can stream the rest of the frame to disk.
 *
 * @param header the JSON header
 * @param contentOffset how many bytes the tags and header take: the content starts this
 * many bytes after the position the prefix buffer had when it was decoded
 */
public record FileFramePrefix(FileFrameHeader header, int contentOffset) {

	public FileFramePrefix {
		Objects.requireNonNull(header, "header must not be null");
		if (contentOffset <= 0) {
			throw new IllegalArgumentException("contentOffset must be positive");
		}
	}

}
