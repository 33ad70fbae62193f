package io.dandelion.publisher.system;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedisCluster;
import io.dandelion.protocol.testing.TestRedisCluster.Failover;
import io.dandelion.protocol.testing.WithTestRedisCluster;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher on a real Redis Cluster, given its nodes alone: it picks the cluster key
 * layout, so its queue, its processing list and every key of its files share one slot
 * (the queue moves tasks between two keys, its scripts write up to four); {@code /r/}
 * answers from the state the cluster holds; and the queue goes on taking uploads after
 * the master it was waiting on fails over. There are no boxes here (the network tests
 * publish to real ones on the cluster): an upload ends failed, which shows it went
 * through the queue.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "publisher.security.api-token=" + RedisClusterTests.API_TOKEN, "publisher.publish.max-wait=1s",
				"publisher.origin-base-url=https://origin.test/media/" })
@WithTestRedisCluster
class RedisClusterTests {

	static final String API_TOKEN = "redis-cluster-tests-token";

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	private RedisKeys keys;

	@LocalServerPort
	private int port;

	private WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		String base = Files.createTempDirectory("publisher-cluster").toString();
		registry.add("publisher.base-directory", () -> base);
	}

	@BeforeEach
	void connect() {
		this.client = TestClients.local(this.port)
			.mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + API_TOKEN)
			.build();
	}

	@Test
	void shouldKeepEveryKeyOfThePublisherInOneSlot() {
		assertThat(this.keys.prefix()).startsWith("{publisher-").endsWith("}:");
		int slot = SlotHash.getSlot(this.keys.filesSendingQueue());
		assertThat(List.of(this.keys.filesProcessing(), this.keys.fileState("/a.ts"), this.keys.fileReplicas("/a.ts"),
				this.keys.processedFiles("/a.ts"), this.keys.boxFiles("box-1"), this.keys.boxRanking(),
				this.keys.search("box-1")))
			.allSatisfy((key) -> assertThat(SlotHash.getSlot(key)).as(key).isEqualTo(slot));
	}

	@Test
	void shouldRedirectFromTheStateTheClusterHolds() {
		String name = "/lost/" + UUID.randomUUID() + ".mp4";
		redis().hset(this.keys.fileState(name), Map.of("STATE", "STORED", "SHA256", "a".repeat(64), "SIZE", "3"));
		this.client.get()
			.uri("/r" + name)
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "https://origin.test/media" + name);
	}

	@Test
	void shouldTakeUploadsFromTheQueueBeforeAndAfterAFailoverOfItsMaster() {
		String before = upload();
		awaitTakenFromTheQueue(before);
		// The publisher now waits on its empty queue, on the master that fails over
		Failover failover = TestRedisCluster.shared().failover(this.keys.filesSendingQueue());
		String after = upload();
		awaitTakenFromTheQueue(after);

		assertThat(TestRedisCluster.shared().masterPortOf(this.keys.filesSendingQueue()))
			.isEqualTo(failover.newMasterPort());
		assertThat(redis().hget(this.keys.fileState(before), "STATE")).isEqualTo("FAILED");
		assertThat(redis().llen(this.keys.filesSendingQueue())).isZero();
		assertThat(redis().llen(this.keys.filesProcessing())).isZero();
	}

	private String upload() {
		String name = "/cluster/" + UUID.randomUUID() + ".ts";
		this.client.put()
			.uri("/api/v1/files" + name + "?ttl=60")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(name.getBytes())
			.exchange()
			.expectStatus()
			.isAccepted();
		return name;
	}

	/** Taken and tried: with no box to send it to, it fails once the wait is over. */
	private void awaitTakenFromTheQueue(String name) {
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(redis().hgetall(this.keys.fileState(name))).containsEntry("STATE", "FAILED")
				.hasEntrySatisfying("REASON", (reason) -> assertThat(reason).contains("no connected box")));
	}

	private static RedisAdvancedClusterCommands<String, String> redis() {
		return TestRedisCluster.shared().commands();
	}

}
