package io.dandelion.support.launch;

/**
 * A launcher command that cannot do what it was asked, with the one line the user reads.
 */
final class LaunchException extends RuntimeException {

	LaunchException(String message) {
		super(message);
	}

}
