package io.dandelion.support.failure;

import java.time.Duration;

import org.slf4j.Logger;

import io.dandelion.support.limits.WarningThrottle;

/**
 * How a failure the caller carries on after is logged, in one place: at WARN each time,
 * except while Redis is unavailable, when a loop running every second would otherwise say
 * the same every second of the outage: then once a minute for each thing that fails
 * (DEBUG in between), without a stack, since where Lettuce rejected a command says
 * nothing new.
 */
public final class FailureLog {

	private final Logger logger;

	private final WarningThrottle<String> redisWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	/**
	 * A log of failures.
	 * @param logger where they go
	 */
	public FailureLog(Logger logger) {
		this.logger = logger;
	}

	/**
	 * Logs a failure.
	 * @param what what failed, as the start of a sentence, e.g.
	 * {@code "box pool failed"}; also what the once-a-minute warning is counted by
	 * @param next what happens now, e.g. {@code "retrying in PT5S"}
	 * @param failure the failure
	 */
	public void failed(String what, String next, Throwable failure) {
		log(what, next, failure, false);
	}

	/**
	 * Logs a failure with its stack trace, unless it is only Redis being unavailable.
	 * @param what what failed, as the start of a sentence
	 * @param next what happens now
	 * @param failure the failure
	 */
	public void crashed(String what, String next, Throwable failure) {
		log(what, next, failure, true);
	}

	private void log(String what, String next, Throwable failure, boolean stack) {
		if (!RedisUnavailable.isCause(failure)) {
			if (stack) {
				this.logger.warn("{}; {}", what, next, failure);
			}
			else {
				this.logger.warn("{}; {}: {}", what, next, failure.toString());
			}
		}
		else if (this.redisWarnings.isDue(what)) {
			this.logger.warn("{} while Redis is unavailable; {} (said once a minute): {}", what, next,
					failure.toString());
		}
		else {
			this.logger.debug("{} while Redis is unavailable: {}", what, failure.toString());
		}
	}

}
