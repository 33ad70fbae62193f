package io.dandelion.protocol;

/**
 * Application WebSocket close codes (the 4000-4999 range that RFC 6455 leaves to
 * applications). A peer that closes with one of these also sends the reason text.
 */
public final class CloseCodes {

	/**
	 * The peer broke the protocol in a way that makes the session unsafe to keep (e.g. a
	 * frame before PUBLISH).
	 */
	public static final int PROTOCOL_VIOLATION = 4000;

	/** A message or frame was larger than the receiver's limit. */
	public static final int TOO_LARGE = 4001;

	/** The peer did not identify itself acceptably (wrong TYPE, bad ID). */
	public static final int NOT_ACCEPTED = 4003;

	/** The peer sent nothing for longer than the receiver waits. */
	public static final int IDLE_TIMEOUT = 4008;

	/** The receiver is shutting down; try again elsewhere or later. */
	public static final int GOING_AWAY = 4010;

	private CloseCodes() {
	}

}
