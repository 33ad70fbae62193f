package io.dandelion.publisher.pool;

/**
 * A box could not take or acknowledge a frame: its connection was not ready, ended, or
 * the reply did not come in time.
 */
class BoxFailureException extends RuntimeException {

	private final String boxId;

	BoxFailureException(String boxId, String message) {
		super("Box " + boxId + ": " + message);
		this.boxId = boxId;
	}

	/**
	 * The box that failed.
	 * @return its ID
	 */
	public String boxId() {
		return this.boxId;
	}

}
