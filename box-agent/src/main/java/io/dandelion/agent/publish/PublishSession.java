package io.dandelion.agent.publish;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.dandelion.protocol.Message;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * The state of one publisher connection (the original kept it on the shared handler, so
 * two publishers' files got mixed). Only the connection's own {@code concatMap} touches
 * it, one message at a time.
 */
final class PublishSession {

	private final String sessionId;

	private volatile String publisherId;

	private volatile CloseStatus closeStatus;

	private final boolean acknowledges;

	/** The file frame whose fragments are arriving, {@code null} between frames. */
	private volatile FrameContent frame;

	private volatile Mono<Message> frameReply;

	private long frameBytes;

	/** Whether the connection ended: no frame may wait for content any more. */
	private boolean ended;

	/** A text message whose fragments are arriving, {@code null} between messages. */
	private ByteArrayOutputStream text;

	PublishSession(String sessionId, boolean acknowledges) {
		this.sessionId = sessionId;
		this.acknowledges = acknowledges;
	}

	/**
	 * Whether the publisher asked for a STORED reply to each frame (the
	 * {@code dandelion.v2} subprotocol); the original's publishers did not.
	 */
	boolean acknowledges() {
		return this.acknowledges;
	}

	String sessionId() {
		return this.sessionId;
	}

	/**
	 * The publisher this connection accepted, {@code null} before PUBLISH.
	 */
	String publisherId() {
		return this.publisherId;
	}

	void accept(String publisherId) {
		this.publisherId = publisherId;
	}

	/**
	 * How the box closes the connection once the pending replies are sent, {@code null}
	 * while it stays open.
	 */
	CloseStatus closeStatus() {
		return this.closeStatus;
	}

	void closeWith(CloseStatus status) {
		this.closeStatus = status;
	}

	/**
	 * The frame whose fragments are arriving.
	 * @return its content, {@code null} between frames
	 */
	FrameContent frame() {
		return this.frame;
	}

	/**
	 * The STORED reply of the frame whose fragments are arriving.
	 * @return the reply, once the frame was written
	 */
	Mono<Message> frameReply() {
		return this.frameReply;
	}

	/**
	 * A frame's first fragment came. The connection may have ended meanwhile (a fragment
	 * in flight is still handled after the end was signalled): the frame then fails at
	 * once, so its write never waits for content that cannot come.
	 */
	synchronized void startFrame(FrameContent content, Mono<Message> reply) {
		this.frame = content;
		this.frameReply = reply;
		this.frameBytes = 0;
		if (this.ended) {
			content.fail("The frame began after the connection ended");
		}
	}

	/**
	 * Counts a fragment of the current frame.
	 * @return false when the frame is now over the limit
	 */
	boolean countFrameBytes(long bytes, long limit) {
		this.frameBytes += bytes;
		return this.frameBytes <= limit;
	}

	/** Its last fragment came: the next binary fragment starts a new frame. */
	synchronized void finishFrame() {
		this.frame = null;
		this.frameReply = null;
	}

	/**
	 * Ends the current frame, if any, without its end: nothing of it is stored.
	 * @param reason why, for the write that fails
	 */
	void endFrame(String reason) {
		FrameContent content;
		synchronized (this) {
			content = this.frame;
			finishFrame();
		}
		if (content != null) {
			content.fail("The frame ended early: " + reason);
		}
	}

	/**
	 * The connection ended: the current frame fails, and so does any frame begun from now
	 * on.
	 */
	void end() {
		synchronized (this) {
			this.ended = true;
		}
		endFrame("the connection ended");
	}

	/**
	 * Adds a fragment of a text message; over the limit, the connection closes.
	 * @return the whole message after its last fragment, else {@code null}
	 */
	String addText(DataBuffer fragment, boolean last, long limit) {
		if (this.text == null && last) {
			// Unfragmented: WebSocket's own limit on one frame held it
			return fragment.toString(StandardCharsets.UTF_8);
		}
		if (this.text == null) {
			this.text = new ByteArrayOutputStream();
		}
		int length = fragment.readableByteCount();
		if (this.text.size() + length > limit) {
			this.text = null;
			closeWith(CloseStatus.TOO_BIG_TO_PROCESS);
			return null;
		}
		byte[] bytes = new byte[length];
		fragment.read(bytes);
		this.text.write(bytes, 0, length);
		if (!last) {
			return null;
		}
		String message = this.text.toString(StandardCharsets.UTF_8);
		this.text = null;
		return message;
	}

}
