package io.dandelion.publisher.pool;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.dandelion.protocol.StoredAck;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;

/**
 * What publishing needs of the pool: choose ready boxes for a file, send a frame to one
 * and learn from the outcome (the ranking counts failures and ack latency).
 */
@Component
public class BoxSender {

	private final BoxPool pool;

	BoxSender(BoxPool pool) {
		this.pool = pool;
	}

	/**
	 * Chooses boxes for a file: ready connections with room, near the audience first, on
	 * networks not yet holding the file when possible ({@link BoxPool#choose}).
	 * @param count how many boxes are wanted
	 * @param exclude boxes that hold the file or failed it
	 * @param holders boxes that hold the file (their networks are avoided)
	 * @return up to {@code count} box IDs
	 */
	public List<String> choose(int count, Set<String> exclude, Set<String> holders) {
		return this.pool.choose(count, exclude, holders).stream().map((connection) -> connection.box().id()).toList();
	}

	/**
	 * Whether a box not yet chosen for a file may take it soon (connecting, or busy).
	 * @param exclude boxes that hold the file or failed it
	 * @return {@code true} when waiting for one is worth it
	 */
	public boolean mayTakeSoon(Set<String> exclude) {
		return this.pool.mayTakeSoon(exclude);
	}

	/**
	 * Sends a frame to a box and waits for its reply, recording failures.
	 * @param boxId the box
	 * @param filePath the frame's {@code FILE_PATH}
	 * @param sha256 the SHA-256 of the frame's content
	 * @param frame the frame, released once written
	 * @param ackTimeout how long the reply may take
	 * @return the reply; {@link BoxFailureException} when none came
	 */
	public Mono<StoredAck> send(String boxId, String filePath, String sha256, DataBuffer frame, Duration ackTimeout) {
		BoxConnection connection = this.pool.connection(boxId);
		if (connection == null) {
			DataBufferUtils.release(frame);
			return Mono.error(new BoxFailureException(boxId, "not connected"));
		}
		long started = System.nanoTime();
		return connection.send(filePath, sha256, frame, ackTimeout).doOnNext((ack) -> {
			if (ack.isStored()) {
				this.pool.recordAck(boxId, Duration.ofNanos(System.nanoTime() - started));
			}
			else {
				this.pool.recordFailure(boxId);
			}
		}).doOnError((ex) -> this.pool.recordFailure(boxId));
	}

}
