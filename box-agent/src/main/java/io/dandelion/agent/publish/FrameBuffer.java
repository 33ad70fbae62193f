package io.dandelion.agent.publish;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * A retained binary WebSocket message and who releases it: whoever claims it first. The
 * writer claims it before reading and releases it when done; a cancelled or discarded
 * frame is released by the cancel hook only if the writer never started, so a buffer is
 * never released while it is being read, and never leaks.
 */
final class FrameBuffer {

	private final DataBuffer payload;

	private final AtomicBoolean claimed = new AtomicBoolean();

	private FrameBuffer(DataBuffer payload) {
		this.payload = payload;
	}

	/**
	 * Retains the payload: Reactor Netty releases it as soon as the first operator
	 * returns, and frames are processed later on another thread.
	 */
	static FrameBuffer retain(DataBuffer payload) {
		return new FrameBuffer(DataBufferUtils.retain(payload));
	}

	/**
	 * Takes ownership for reading.
	 * @return true when the caller now owns the buffer and must {@link #release()} it
	 */
	boolean claim() {
		return this.claimed.compareAndSet(false, true);
	}

	DataBuffer payload() {
		return this.payload;
	}

	/**
	 * Releases the buffer; only for the owner.
	 */
	void release() {
		DataBufferUtils.release(this.payload);
	}

	/**
	 * Releases the buffer unless someone owns it.
	 */
	void releaseUnlessClaimed() {
		if (claim()) {
			release();
		}
	}

}
