package io.dandelion.support.config;

/**
 * A configuration file (or a {@code DANDELION_*} environment variable) that cannot be
 * used: missing, not YAML, not a mapping, or holding a bad value. The message names the
 * key, the file and line, the value and what was expected.
 */
public class ConfigFileException extends RuntimeException {

	/**
	 * Creates an exception with a message for the user.
	 * @param message what is wrong and where
	 */
	public ConfigFileException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message for the user and its cause.
	 * @param message what is wrong and where
	 * @param cause the underlying failure
	 */
	public ConfigFileException(String message, Throwable cause) {
		super(message, cause);
	}

}
