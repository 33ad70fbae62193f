package io.dandelion.support.failure;

import java.util.List;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.cluster.PartitionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Tells a failure because Redis cannot be reached or does not answer in time (try again
 * soon) from a failure of the request itself (a bug, an error reply). Lettuce, as
 * {@code RedisOutageAutoConfiguration} sets it up, rejects commands at once while
 * disconnected and times out those Redis does not answer; Spring Data wraps both. On a
 * Redis Cluster, the moments of a failover count too: a slot with no master yet, a
 * cluster that says it is down, a blocked command released because its node stopped being
 * master.
 */
public final class RedisUnavailable {

	/**
	 * Error replies of a Redis Cluster in the middle of a failover or resharding: try
	 * again soon.
	 */
	private static final List<String> CLUSTER_TRANSIENT_ERRORS = List.of("CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN",
			"UNBLOCKED");

	private RedisUnavailable() {
	}

	/**
	 * Whether a failure, or any of its causes, says that Redis is unavailable.
	 * @param failure the failure
	 * @return {@code true} for a connection failure, a command timeout, a command
	 * rejected while disconnected, Redis still loading its data or busy in a script, and
	 * a cluster failing over
	 */
	public static boolean isCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (isUnavailability(cause)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isUnavailability(Throwable failure) {
		return failure instanceof DataAccessResourceFailureException || failure instanceof QueryTimeoutException
				|| failure instanceof RedisConnectionException || failure instanceof RedisCommandTimeoutException
				|| failure instanceof RedisLoadingException || failure instanceof RedisBusyException
				|| failure instanceof RedisReadOnlyException || failure instanceof PartitionException
				|| failure instanceof RedisCommandExecutionException && isClusterTransient(failure.getMessage())
				// Lettuce's plain RedisException is its client's state: not connected
				// (commands rejected), connection closed, request queue full. Its
				// subclasses not named above are error replies to the request itself
				|| failure.getClass() == RedisException.class;
	}

	private static boolean isClusterTransient(String message) {
		return message != null && CLUSTER_TRANSIENT_ERRORS.stream().anyMatch(message::startsWith);
	}

}
