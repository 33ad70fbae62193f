package io.dandelion.protocol.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A decoded binary file frame: its header and its content.
 *
 * @param header the JSON header
 * @param content a read-only view of the content bytes, sharing the decoded buffer rather
 * than copying it; its position is zero and its limit the content length
 */
public record FileFrame(FileFrameHeader header, ByteBuffer content) {

	public FileFrame {
		Objects.requireNonNull(header, "header must not be null");
		Objects.requireNonNull(content, "content must not be null");
	}

	/**
	 * Copy the content into a new array, for callers that need one.
	 * @return the content bytes
	 */
	public byte[] contentBytes() {
		byte[] bytes = new byte[this.content.remaining()];
		this.content.duplicate().get(bytes);
		return bytes;
	}

}
