package io.dandelion.protocol;

/**
 * A text message that {@link MessageCodec} refuses. The only exception the codec throws
 * for bad input: its {@link #reason()} goes on the wire as {@code ERROR_CODE} and its
 * message as {@code ERROR}.
 */
public class MessageFormatException extends RuntimeException {

	/** Why a message was refused; the names are wire values, frozen once released. */
	public enum Reason {

		/** Longer than the receiver's limit. */
		TOO_LARGE,

		/** Not JSON, or JSON with duplicate keys. */
		INVALID_JSON,

		/** JSON, but not an object. */
		NOT_AN_OBJECT,

		/** A required field is absent. */
		MISSING_FIELD,

		/**
		 * A required field is null, empty, false or zero (the original's "falsy" rule).
		 */
		EMPTY_FIELD,

		/**
		 * An {@code ID} that is not the sender's role prefix followed by 32 hex digits.
		 */
		BAD_ID,

		/** A field whose value has the wrong shape, e.g. {@code "CPU-IDLE": "lots"}. */
		BAD_VALUE,

		/** A {@code COMMAND} this protocol does not know. */
		UNKNOWN_COMMAND,

		/**
		 * A {@code COMMAND} that the sender's {@code TYPE} may not send, e.g. SEARCH from
		 * a box.
		 */
		COMMAND_TYPE_MISMATCH

	}

	private final Reason reason;

	public MessageFormatException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Why the message was refused.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
