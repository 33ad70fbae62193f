package io.dandelion.protocol.testing;

import java.util.UUID;

import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedisCluster.Failover;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag(TestRedisCluster.TAG)
class TestRedisClusterTests {

	private final TestRedisCluster cluster = TestRedisCluster.shared();

	@Test
	void shouldBeARealClusterWhereOnlyTheKeysOfOneNodeGoTogether() {
		RedisAdvancedClusterCommands<String, String> redis = this.cluster.commands();
		assertThat(this.cluster.nodes().split(",")).hasSize(6).allMatch((node) -> node.startsWith("127.0.0.1:"));
		RedisKeys keys = new RedisKeys("publisher-" + UUID.randomUUID().toString().replace("-", ""),
				RedisKeyLayout.CLUSTER);
		redis.rpush(keys.filesSendingQueue(), "task");
		assertThat(redis.lmove(keys.filesSendingQueue(), keys.filesProcessing(), LMoveArgs.Builder.leftRight()))
			.isEqualTo("task");
		// The original layout spreads one node's keys over slots, and here over masters
		RedisKeys original = null;
		for (int attempt = 0; attempt < 100 && original == null; attempt++) {
			RedisKeys candidate = new RedisKeys("publisher-" + UUID.randomUUID().toString().replace("-", ""),
					RedisKeyLayout.ORIGINAL);
			if (this.cluster.masterPortOf(candidate.filesSendingQueue()) != this.cluster
				.masterPortOf(candidate.filesProcessing())) {
				original = candidate;
			}
		}
		assertThat(original).as("a node whose two keys are on two masters").isNotNull();
		RedisKeys spread = original;
		redis.rpush(spread.filesSendingQueue(), "task");
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(
				() -> redis.lmove(spread.filesSendingQueue(), spread.filesProcessing(), LMoveArgs.Builder.leftRight()));
	}

	@Test
	void shouldFailAMasterOverToItsReplicaWithItsData() {
		RedisAdvancedClusterCommands<String, String> redis = this.cluster.commands();
		String key = "{failover-" + UUID.randomUUID() + "}:value";
		redis.set(key, "kept");

		Failover failover = this.cluster.failover(key);

		assertThat(failover.newMasterPort()).isNotEqualTo(failover.oldMasterPort());
		assertThat(this.cluster.masterPortOf(key)).isEqualTo(failover.newMasterPort());
		assertThat(redis.get(key)).isEqualTo("kept");
		redis.set(key, "written after");
		assertThat(redis.get(key)).isEqualTo("written after");
	}

}
