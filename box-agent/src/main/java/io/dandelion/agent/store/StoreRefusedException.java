package io.dandelion.agent.store;

/**
 * A file the store would not, or could not, keep. Nothing of it is left on disk.
 */
public class StoreRefusedException extends RuntimeException {

	private final RefusalReason reason;

	public StoreRefusedException(RefusalReason reason, String message) {
		this(reason, message, null);
	}

	public StoreRefusedException(RefusalReason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * Why the file was refused.
	 * @return the reason, sent as {@code ERROR_CODE}
	 */
	public RefusalReason reason() {
		return this.reason;
	}

}
