package io.dandelion.entrance.registry;

import java.util.Objects;

/**
 * A heartbeat that proved its credential but was not stored because of a
 * {@link RegistrationLimits registration limit}; the box stays as it was (live until its
 * previous expiry, or not registered).
 */
public class RegistrationRefusedException extends RuntimeException {

	private final Code code;

	public RegistrationRefusedException(Code code, String message) {
		super(message);
		this.code = Objects.requireNonNull(code, "code");
	}

	/**
	 * The reason, sent as the {@code ERROR_CODE} of the reply.
	 * @return the code
	 */
	public Code code() {
		return this.code;
	}

	/** Why a heartbeat was not stored; the names are wire values. */
	public enum Code {

		/** The box sent more heartbeats than the rate allows. */
		RATE_LIMITED,

		/** The box's network already has the most live boxes allowed. */
		NETWORK_FULL

	}

}
