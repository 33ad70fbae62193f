package io.dandelion.agent.traffic;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * The bytes the box's file server has sent since this process started, as counted from
 * its access log; the source of the {@code SERVED-BPS} figure.
 */
@Component
public class ServedBytes {

	private final AtomicLong total = new AtomicLong();

	/**
	 * Counts bytes that were sent.
	 * @param bytes the bytes of one or more responses
	 */
	void add(long bytes) {
		this.total.addAndGet(bytes);
	}

	/**
	 * The bytes counted so far.
	 * @return the total since start
	 */
	public long total() {
		return this.total.get();
	}

}
