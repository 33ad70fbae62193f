package io.dandelion.publisher.publish;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import io.dandelion.protocol.frame.FileFrameCodec;
import io.dandelion.protocol.frame.FileFrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads a local file into a file frame: the content in 1 MiB chunks, hashed with SHA-256
 * as it is read, behind the {@code <Dandelion>} header that carries the hash and the
 * file's public name as its {@code FILE_PATH} (the local path stays here). The whole
 * frame is held in memory, as a composite of chunk buffers rather than one large array
 * (and shared, not copied, when the frame goes to several boxes); a file over the frame
 * limit is refused before anything is read or sent. The header needs the hash, so the
 * content cannot be sent before it was read to the end.
 */
final class FrameReader {

	private static final int CHUNK = 1024 * 1024;

	private final FileFrameCodec codec;

	private final long maxFrameBytes;

	private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

	FrameReader(long maxFrameBytes) {
		this.maxFrameBytes = maxFrameBytes;
		this.codec = new FileFrameCodec(FileFrameCodec.DEFAULT_MAX_HEADER_BYTES,
				Math.max(0, maxFrameBytes - FileFrameCodec.DEFAULT_MAX_HEADER_BYTES));
	}

	/**
	 * Reads a task's local file. Blocking: call it on a scheduler for blocking work.
	 * @param task the task, with its public name
	 * @param ttl the TTL to put in the header
	 * @return the frame, to be released by the caller
	 * @throws FileProblem when the file is missing, unreadable or too large
	 */
	Frame read(PublishTask task, Duration ttl) {
		Path path = Path.of(task.localPath());
		CompositeByteBuf frame = this.allocator.compositeBuffer(Integer.MAX_VALUE);
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
			if (!Files.isRegularFile(path)) {
				throw new FileProblem("Not a regular file.");
			}
			long size = channel.size();
			if (size > this.codec.maxContentBytes()) {
				throw new FileProblem("File of " + size + " bytes is over the frame limit of " + this.maxFrameBytes
						+ " bytes (PUBLISHER_MAX_FRAME_SIZE, as boxes take at most BOX_MAX_FRAME_SIZE); it was not sent");
			}
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			long read = 0;
			while (true) {
				ByteBuf chunk = this.allocator.buffer(CHUNK);
				int n = chunk.writeBytes(channel, read, CHUNK);
				if (n <= 0) {
					chunk.release();
					break;
				}
				digest.update(chunk.nioBuffer(chunk.readerIndex(), chunk.readableBytes()));
				frame.addComponent(true, chunk);
				read += n;
				if (read > this.codec.maxContentBytes()) {
					throw new FileProblem("File grew over the frame limit of " + this.maxFrameBytes + " bytes");
				}
			}
			String sha256 = HexFormat.of().formatHex(digest.digest());
			byte[] prefix = this.codec.encodePrefix(new FileFrameHeader(task.name(), ttl, sha256, task.extra()));
			frame.addComponent(true, 0, Unpooled.wrappedBuffer(prefix));
			return new Frame(frame, read, sha256);
		}
		catch (NoSuchFileException ex) {
			frame.release();
			throw new FileProblem("No such file.");
		}
		catch (IOException ex) {
			frame.release();
			throw new FileProblem("Cannot read the file: " + ex.getMessage());
		}
		catch (NoSuchAlgorithmException ex) {
			frame.release();
			throw new IllegalStateException(ex);
		}
		catch (RuntimeException ex) {
			frame.release();
			throw (ex instanceof FileProblem) ? ex : new FileProblem("Cannot frame the file: " + ex.getMessage());
		}
	}

	/**
	 * A framed file.
	 *
	 * @param bytes the whole frame; a send takes a retained duplicate
	 * @param size the content's size
	 * @param sha256 the content's SHA-256
	 */
	record Frame(ByteBuf bytes, long size, String sha256) {

	}

	/**
	 * The file cannot be published from this publisher's disk; retrying will not help.
	 */
	static final class FileProblem extends RuntimeException {

		FileProblem(String message) {
			super(message);
		}

	}

}
