package io.dandelion.agent.publish;

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

}
