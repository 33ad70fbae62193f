package io.dandelion.protocol;

/**
 * The values of the {@code COMMAND} field and of the {@code MESSAGE} field that the
 * protocol knows. Frozen once released: peers of every version compare these strings.
 */
public final class Commands {

	/** Box heartbeat to an entrance, and the entrance's reply. */
	public static final String EXCHANGE = "EXCHANGE";

	/** Publisher asking an entrance for boxes, and the entrance's reply. */
	public static final String SEARCH = "SEARCH";

	/** Publisher attaching to a box, and the box's reply. */
	public static final String PUBLISH = "PUBLISH";

	/** Box acknowledging a file frame (new; the original sent no reply to frames). */
	public static final String STORED = "STORED";

	/**
	 * Publisher reporting a box that served wrong bytes, and the entrance's reply (new).
	 */
	public static final String REPORT = "REPORT";

	/** The {@code MESSAGE} of a reply that accepts the request. */
	public static final String ACCEPTED = "ACCEPTED";

	private Commands() {
	}

}
