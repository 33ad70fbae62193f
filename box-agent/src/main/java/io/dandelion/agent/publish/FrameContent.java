package io.dandelion.agent.publish;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One binary message as its WebSocket fragments arrive, read as a stream by the file
 * write on the store scheduler. At most {@link #CAPACITY} fragments wait here: an offer
 * beyond completes only once the reader took one, so the connection reads no faster than
 * the disk writes, and a frame of any size holds a few fragments in memory.
 * <p>
 * Whoever ends the content first releases what waits: the reader closing the stream
 * (done, or refused early) or the connection failing it. Fragments offered after that are
 * released at once.
 */
final class FrameContent extends InputStream {

	/** Fragments buffered ahead of the reader. */
	static final int CAPACITY = 4;

	private final Deque<DataBuffer> fragments = new ArrayDeque<>();

	/** The fragment being read, owned by the reader. */
	private DataBuffer current;

	/** An offer waiting for room, and its fragment. */
	private DataBuffer waiting;

	private MonoSink<Void> waitingSink;

	private boolean finished;

	private boolean closed;

	private IOException failure;

	/**
	 * Hands the reader the next fragment; the returned Mono completes once it is taken
	 * in, so the sender's next fragment is read only then.
	 * @param fragment the fragment, owned here from now on
	 * @return completes when there is room again
	 */
	Mono<Void> offer(DataBuffer fragment) {
		return Mono.create((sink) -> {
			boolean release;
			synchronized (this) {
				release = this.closed || this.failure != null;
				if (!release) {
					if (this.fragments.size() < CAPACITY) {
						this.fragments.add(fragment);
						notifyAll();
					}
					else {
						this.waiting = fragment;
						this.waitingSink = sink;
						return;
					}
				}
			}
			if (release) {
				DataBufferUtils.release(fragment);
			}
			sink.success();
		});
	}

	/** The last fragment was offered: the stream ends after it. */
	synchronized void finish() {
		this.finished = true;
		notifyAll();
	}

	/**
	 * The content will never be complete (the connection ended or the frame is over the
	 * limit): the reader fails, so no file is stored, and what waits is released.
	 * @param reason why
	 */
	void fail(String reason) {
		synchronized (this) {
			if (this.failure == null) {
				this.failure = new IOException(reason);
			}
			notifyAll();
		}
		// Not the fragment being read: the reader releases it
		releaseWaiting(false);
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		DataBuffer buffer = next();
		if (buffer == null) {
			return -1;
		}
		int count = Math.min(length, buffer.readableByteCount());
		buffer.read(bytes, offset, count);
		return count;
	}

	/** The fragment to read from, waiting for one; {@code null} at the end. */
	private DataBuffer next() throws IOException {
		if (this.current != null && this.current.readableByteCount() > 0) {
			return this.current;
		}
		if (this.current != null) {
			DataBufferUtils.release(this.current);
			this.current = null;
		}
		MonoSink<Void> admitted = null;
		try {
			synchronized (this) {
				while (this.fragments.isEmpty() && !this.finished && this.failure == null && !this.closed) {
					wait();
				}
				if (this.failure != null) {
					throw this.failure;
				}
				if (this.closed) {
					throw new IOException("Frame content closed");
				}
				this.current = this.fragments.poll();
				if (this.waiting != null) {
					this.fragments.add(this.waiting);
					this.waiting = null;
					admitted = this.waitingSink;
					this.waitingSink = null;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while waiting for the frame's content", ex);
		}
		finally {
			if (admitted != null) {
				admitted.success();
			}
		}
		return (this.current != null) ? next() : null;
	}

	/**
	 * Releases everything; offers from now on are released at once and complete. Only for
	 * the reader, or once nobody reads.
	 */
	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
			notifyAll();
		}
		releaseWaiting(true);
	}

	private void releaseWaiting(boolean withCurrent) {
		DataBuffer current = null;
		DataBuffer waiting;
		MonoSink<Void> sink;
		Deque<DataBuffer> queued;
		synchronized (this) {
			if (withCurrent) {
				current = this.current;
				this.current = null;
			}
			waiting = this.waiting;
			this.waiting = null;
			sink = this.waitingSink;
			this.waitingSink = null;
			queued = new ArrayDeque<>(this.fragments);
			this.fragments.clear();
		}
		if (current != null) {
			DataBufferUtils.release(current);
		}
		queued.forEach(DataBufferUtils::release);
		if (waiting != null) {
			DataBufferUtils.release(waiting);
		}
		if (sink != null) {
			sink.success();
		}
	}

}
