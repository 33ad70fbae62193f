package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.heartbeat.TestEntrance.Answer;
import io.dandelion.agent.publish.PublisherTestClient;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedisCluster;
import io.dandelion.protocol.testing.TestRedisCluster.Failover;
import io.dandelion.protocol.testing.WithTestRedisCluster;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The box on a real Redis Cluster, given its nodes alone: its own keys (its exchange
 * data, its traffic entries and their index, its file expiry set) carry its ID as a hash
 * tag, and through a failover of the master holding them in the middle of heartbeats,
 * traffic and publishing, every served request still reaches the entrance, every stored
 * file keeps its expiry, and heartbeats go on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedisCluster
class RedisClusterTests {

	private static final int LINES = 40;

	static final TestEntrance entrance = TestEntrance.start(true);

	@Autowired
	private BoxProperties properties;

	@Autowired
	private NodeId boxId;

	@Autowired
	private RedisKeys keys;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		EntranceClientTests.fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", entrance::url);
		registry.add("box.store.expire-files-freq", () -> "200ms");
		TestTrust.strictBox(registry, TestTrust.boxCredential());
	}

	@AfterAll
	static void stopEntrance() {
		entrance.close();
	}

	@Test
	void shouldKeepItsKeysInOneSlotAndLoseNothingThroughAFailover() throws Exception {
		assertThat(this.keys.prefix()).isEqualTo("{" + this.boxId.value() + "}:");
		entrance.answer(Answer.ACCEPT);
		await().atMost(EntranceClientTests.WAIT)
			.until(() -> this.boxId.value().equals(redis().hget(this.keys.selfExchange(), "ID")));
		PublisherTestClient publisher = new PublisherTestClient(this.port, this.boxId.value());
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		Path before = publish(publisher, publisherId, "/cluster/before.ts");

		Thread traffic = new Thread(() -> IntStream.range(0, LINES).forEach((line) -> {
			append("127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET /cluster/" + line + ".ts HTTP/1.1\" 200 100\n");
			sleep(Duration.ofMillis(50));
		}), "cluster-test-traffic");
		traffic.start();
		sleep(Duration.ofMillis(600));
		Failover failover = TestRedisCluster.shared().failover(this.keys.selfExchange());
		int heartbeatsAtFailover = entrance.received().size();
		Path after = publish(publisher, publisherId, "/cluster/after.ts");
		traffic.join(Duration.ofSeconds(30).toMillis());
		assertThat(traffic.isAlive()).isFalse();

		assertThat(TestRedisCluster.shared().masterPortOf(this.keys.expireFiles())).isEqualTo(failover.newMasterPort());
		Set<String> expected = IntStream.range(0, LINES)
			.mapToObj((line) -> "/cluster/" + line + ".ts")
			.collect(Collectors.toSet());
		await().atMost(EntranceClientTests.WAIT).untilAsserted(() -> assertThat(acceptedUrls()).containsAll(expected));
		await().atMost(EntranceClientTests.WAIT).until(() -> redis().zcard(this.keys.trafficPending()) == 0);
		await().atMost(EntranceClientTests.WAIT).until(() -> entrance.received().size() > heartbeatsAtFailover + 3);
		for (Path stored : List.of(before, after)) {
			assertThat(redis().zscore(this.keys.expireFiles(), stored.toString())).as(stored.toString()).isNotNull();
		}
	}

	private Path publish(PublisherTestClient publisher, String publisherId, String filePath) {
		byte[] content = filePath.getBytes(StandardCharsets.UTF_8);
		Conversation conversation = publisher.exchange(2, publisher.publish(publisherId),
				PublisherTestClient.frame(filePath, 600, content));
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
		assertThat(redis().hget(this.keys.exchange(publisherId), "ID")).isEqualTo(publisherId);
		return this.properties.baseDirectory().resolve(publisherId).resolve(filePath.substring(1));
	}

	private static Set<String> acceptedUrls() {
		return entrance.received()
			.stream()
			.filter((received) -> received.answer() == Answer.ACCEPT)
			.flatMap((received) -> received.request().traffic().stream())
			.map(TrafficEntry::url)
			.collect(Collectors.toSet());
	}

	private void append(String line) {
		try {
			Path log = this.properties.accessLog();
			Files.createDirectories(log.getParent());
			Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RedisAdvancedClusterCommands<String, String> redis() {
		return TestRedisCluster.shared().commands();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
