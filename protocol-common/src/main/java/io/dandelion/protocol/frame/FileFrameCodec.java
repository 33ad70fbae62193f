package io.dandelion.protocol.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.dandelion.protocol.frame.FileFrameException.Reason;

/**
 * Encodes and decodes the binary frame a publisher sends to a box: {@code <Dandelion>}, a
 * UTF-8 JSON object header, {@code </Dandelion>}, then the raw content. Decoding splits
 * on the first closing tag, looks for it only within the header limit, and throws nothing
 * but {@link FileFrameException} for malformed bytes. Instances are immutable and
 * thread-safe.
 */
public final class FileFrameCodec {

	/** The default limit on the header JSON: 16 KiB. */
	public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

	/** The default limit on the content: 64 MiB. */
	public static final long DEFAULT_MAX_CONTENT_BYTES = 64L * 1024 * 1024;

	/** The bytes every frame starts with. */
	public static final String OPEN_TAG = "<Dandelion>";

	/**
	 * The bytes that end the header; the first occurrence wins, the content may contain
	 * more.
	 */
	public static final String CLOSE_TAG = "</Dandelion>";

	private static final byte[] OPEN = OPEN_TAG.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CLOSE = CLOSE_TAG.getBytes(StandardCharsets.US_ASCII);

	private final int maxHeaderBytes;

	private final long maxContentBytes;

	private final FileFrameHeaderJson json = new FileFrameHeaderJson();

	/**
	 * Create a codec with the default limits.
	 */
	public FileFrameCodec() {
		this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_CONTENT_BYTES);
	}

	/**
	 * Create a codec with the given limits.
	 * @param maxHeaderBytes the longest header JSON accepted, in bytes, tags excluded
	 * @param maxContentBytes the longest content accepted, in bytes
	 */
	public FileFrameCodec(int maxHeaderBytes, long maxContentBytes) {
		if (maxHeaderBytes <= 0 || maxHeaderBytes > Integer.MAX_VALUE - OPEN.length - CLOSE.length) {
			throw new IllegalArgumentException("maxHeaderBytes out of range: " + maxHeaderBytes);
		}
		if (maxContentBytes < 0) {
			throw new IllegalArgumentException("maxContentBytes must not be negative: " + maxContentBytes);
		}
		this.maxHeaderBytes = maxHeaderBytes;
		this.maxContentBytes = maxContentBytes;
	}

	/**
	 * The longest header JSON this codec accepts.
	 * @return the limit in bytes
	 */
	public int maxHeaderBytes() {
		return this.maxHeaderBytes;
	}

	/**
	 * The longest content this codec accepts; a box streaming content must enforce it
	 * itself.
	 * @return the limit in bytes
	 */
	public long maxContentBytes() {
		return this.maxContentBytes;
	}

	/**
	 * How many bytes a streaming reader must buffer before
	 * {@link #decodeHeader(ByteBuffer)} can decide: the whole frame if shorter, else this
	 * many.
	 * @return the longest possible tags-and-header prefix
	 */
	public int maxPrefixBytes() {
		return OPEN.length + this.maxHeaderBytes + CLOSE.length;
	}

	/**
	 * Encode the tags and header, for a sender that streams the content after them.
	 * @param header the header
	 * @return {@code <Dandelion>}, the header JSON and {@code </Dandelion>}
	 * @throws FileFrameException with {@link Reason#HEADER_TOO_LARGE} when the JSON
	 * exceeds the header limit
	 */
	public byte[] encodePrefix(FileFrameHeader header) {
		Objects.requireNonNull(header, "header must not be null");
		byte[] headerJson = this.json.write(header);
		if (headerJson.length > this.maxHeaderBytes) {
			throw new FileFrameException(Reason.HEADER_TOO_LARGE,
					"Frame header is " + headerJson.length + " bytes, the limit is " + this.maxHeaderBytes);
		}
		ByteBuffer prefix = ByteBuffer.allocate(OPEN.length + headerJson.length + CLOSE.length);
		return prefix.put(OPEN).put(headerJson).put(CLOSE).array();
	}

	/**
	 * Encode a whole frame. The header JSON is written as {@code FILE_PATH}, {@code TTL}
	 * in seconds, {@code SHA256} when present, then the extras, ASCII-only with {@code <}
	 * escaped.
	 * @param header the header
	 * @param content the file content
	 * @return the frame bytes
	 * @throws FileFrameException when the header or the content exceeds its limit
	 */
	public byte[] encode(FileFrameHeader header, byte[] content) {
		Objects.requireNonNull(content, "content must not be null");
		checkContentLength(content.length);
		byte[] prefix = encodePrefix(header);
		if (content.length > Integer.MAX_VALUE - 8 - prefix.length) {
			throw new FileFrameException(Reason.CONTENT_TOO_LARGE, "Frame does not fit in one array");
		}
		return ByteBuffer.allocate(prefix.length + content.length).put(prefix).put(content).array();
	}

	/**
	 * Decode a whole frame.
	 * @param frame the frame bytes
	 * @return the header and a view of the content within {@code frame}
	 * @throws FileFrameException for any malformed frame
	 */
	public FileFrame decode(byte[] frame) {
		Objects.requireNonNull(frame, "frame must not be null");
		return decode(ByteBuffer.wrap(frame));
	}

	/**
	 * Decode a whole frame from the buffer's position to its limit, leaving the buffer's
	 * position untouched.
	 * @param frame the frame bytes
	 * @return the header and a read-only view of the content sharing {@code frame}'s
	 * bytes
	 * @throws FileFrameException for any malformed frame
	 */
	public FileFrame decode(ByteBuffer frame) {
		Objects.requireNonNull(frame, "frame must not be null");
		int closeTag = findCloseTag(frame);
		int contentStart = closeTag + CLOSE.length;
		// Checked before parsing the JSON: the cheapest refusal first
		checkContentLength(frame.limit() - contentStart);
		FileFrameHeader header = parseHeader(frame, closeTag);
		ByteBuffer content = frame.duplicate().position(contentStart).slice().asReadOnlyBuffer();
		return new FileFrame(header, content);
	}

	/**
	 * Decode the header from the start of a frame whose content may not have arrived yet.
	 * The buffer must hold the whole frame or at least {@link #maxPrefixBytes()} bytes of
	 * it; its position is left untouched.
	 * @param prefix the start of the frame
	 * @return the header and where, relative to {@code prefix}'s position, the content
	 * starts
	 * @throws FileFrameException for a malformed or missing header
	 */
	public FileFramePrefix decodeHeader(ByteBuffer prefix) {
		Objects.requireNonNull(prefix, "prefix must not be null");
		int closeTag = findCloseTag(prefix);
		FileFrameHeader header = parseHeader(prefix, closeTag);
		return new FileFramePrefix(header, closeTag + CLOSE.length - prefix.position());
	}

	/**
	 * Check the open tag and find the close tag, scanning no further than the header
	 * limit allows.
	 * @return the absolute index of the close tag in {@code frame}
	 */
	private int findCloseTag(ByteBuffer frame) {
		int start = frame.position();
		int limit = frame.limit();
		if (limit - start < OPEN.length || !matches(frame, start, OPEN)) {
			throw new FileFrameException(Reason.MISSING_OPEN_TAG, "Frame does not start with " + OPEN_TAG);
		}
		int headerStart = start + OPEN.length;
		// long arithmetic: a huge limit must not wrap around
		int searchEnd = (int) Math.min(limit, (long) headerStart + this.maxHeaderBytes + CLOSE.length);
		for (int i = headerStart; i <= searchEnd - CLOSE.length; i++) {
			if (matches(frame, i, CLOSE)) {
				return i;
			}
		}
		if (searchEnd < limit || limit - headerStart >= this.maxHeaderBytes + CLOSE.length) {
			throw new FileFrameException(Reason.HEADER_TOO_LARGE,
					"No " + CLOSE_TAG + " within the header limit of " + this.maxHeaderBytes + " bytes");
		}
		throw new FileFrameException(Reason.MISSING_CLOSE_TAG, "Frame has no " + CLOSE_TAG);
	}

	private FileFrameHeader parseHeader(ByteBuffer frame, int closeTag) {
		int headerStart = frame.position() + OPEN.length;
		int length = closeTag - headerStart;
		if (frame.hasArray()) {
			return this.json.read(frame.array(), frame.arrayOffset() + headerStart, length);
		}
		// Direct or read-only buffers: copying at most the header limit is cheap
		byte[] copy = new byte[length];
		frame.get(headerStart, copy);
		return this.json.read(copy, 0, length);
	}

	private void checkContentLength(long length) {
		if (length > this.maxContentBytes) {
			throw new FileFrameException(Reason.CONTENT_TOO_LARGE,
					"Frame content is " + length + " bytes, the limit is " + this.maxContentBytes);
		}
	}

	private static boolean matches(ByteBuffer buffer, int index, byte[] tag) {
		for (int i = 0; i < tag.length; i++) {
			if (buffer.get(index + i) != tag[i]) {
				return false;
			}
		}
		return true;
	}

}
