package io.dandelion.support.failure;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.models.partitions.Partitions;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUnavailableTests {

	@Test
	void shouldTellRedisBeingAwayOrSlow() {
		assertThat(RedisUnavailable
			.isCause(new RedisSystemException("Redis exception", new RedisException("Currently not connected"))))
			.isTrue();
		assertThat(RedisUnavailable.isCause(new QueryTimeoutException("Redis command timed out"))).isTrue();
		assertThat(RedisUnavailable.isCause(new RedisCommandTimeoutException("GET timed out"))).isTrue();
		assertThat(RedisUnavailable
			.isCause(new RedisConnectionFailureException("Unable to connect", new RedisConnectionException("refused"))))
			.isTrue();
		assertThat(RedisUnavailable.isCause(new RedisSystemException("Error in execution",
				new RedisLoadingException("LOADING Redis is loading the dataset in memory"))))
			.isTrue();
		assertThat(RedisUnavailable.isCause(new IllegalStateException("wrapped", new RedisException("closed"))))
			.isTrue();
	}

	@Test
	void shouldTellARedisClusterFailingOver() {
		assertThat(RedisUnavailable.isCause(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("CLUSTERDOWN The cluster is down"))))
			.isTrue();
		assertThat(RedisUnavailable.isCause(new RedisCommandExecutionException(
				"UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)")))
			.isTrue();
		assertThat(RedisUnavailable.isCause(new RedisCommandExecutionException("TRYAGAIN Multiple keys request")))
			.isTrue();
		assertThat(RedisUnavailable
			.isCause(new RedisReadOnlyException("READONLY You can't write against a read only replica."))).isTrue();
		assertThat(RedisUnavailable.isCause(new RedisSystemException("Redis exception",
				new PartitionSelectorException("Cannot determine a partition for slot 42", new Partitions()))))
			.isTrue();
	}

	@Test
	void shouldNotTakeAFailureOfTheRequestForAnOutage() {
		assertThat(RedisUnavailable.isCause(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind"))))
			.isFalse();
		assertThat(RedisUnavailable.isCause(new RedisNoScriptException("NOSCRIPT"))).isFalse();
		assertThat(RedisUnavailable
			.isCause(new RedisCommandExecutionException("CROSSSLOT Keys in request don't hash to the same slot")))
			.isFalse();
		assertThat(RedisUnavailable.isCause(new IllegalArgumentException("bad name"))).isFalse();
	}

}
