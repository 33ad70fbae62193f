package io.dandelion.agent.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.heartbeat.TestEntrance;
import io.dandelion.agent.heartbeat.TestEntrance.Answer;
import io.dandelion.agent.heartbeat.TestEntrance.Received;
import io.dandelion.agent.publish.PublisherTestClient;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.PrometheusScrape;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} shows the box's figures, scraped over HTTP: files stored
 * and refused through the publisher WebSocket, the store and disk gauges, the file
 * server's last check, and heartbeats to a real (test) entrance by outcome, each moved by
 * exactly what the test caused. Tests export no metrics unless asked:
 * {@code @AutoConfigureObservability}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "box.serving.data-port=0")
@AutoConfigureObservability
@WithTestRedis
class PrometheusEndpointTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final NodeCredential credential = TestTrust.boxCredential();

	private static final TestEntrance entrance = TestEntrance.start(true);

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId boxId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path base = Files.createTempDirectory("box-metrics");
		registry.add("box.base-directory", base::toString);
		registry.add("box.entrance-urls[0]", entrance::url);
		registry.add("box.ping-entrance-freq", () -> "200ms");
		registry.add("box.heartbeat.reply-timeout", () -> "2s");
		TestTrust.strictBox(registry, credential);
	}

	@AfterAll
	static void stopEntranceAndDeleteKeys() {
		entrance.close();
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(credential.id().value()).prefix());
	}

	@Test
	void shouldExposeTheBoxFigures() {
		PrometheusScrape before = PrometheusScrape.of(this.port);
		assertThat(before.value("dandelion_box_files_stored_total")).isZero();
		assertThat(before.value("dandelion_box_frames_refused_total", "reason=\"QUOTA_EXCEEDED\"")).isZero();
		assertThat(before.value("dandelion_box_store_limit_bytes")).isEqualTo(1024.0 * 1024 * 1024);
		assertThat(before.value("dandelion_box_disk_reserve_bytes")).isEqualTo(256.0 * 1024 * 1024);
		assertThat(before.value("dandelion_box_disk_free_bytes")).isPositive();

		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		byte[] first = "first file".getBytes(StandardCharsets.UTF_8);
		byte[] second = "the second file".getBytes(StandardCharsets.UTF_8);
		Conversation conversation = client.exchange(5, client.publish(publisherId),
				PublisherTestClient.frame("/a.txt", 60, first), PublisherTestClient.frame("/b.txt", 60, second),
				PublisherTestClient.frame("{\"FILE_PATH\": \"/c.txt\", \"TTL\": \"60\", \"SHA256\": \""
						+ PublisherTestClient.sha256(second) + "\"}", first),
				PublisherTestClient.frame("/../d.txt", 60, first));
		assertThat(conversation.reply(3)).containsEntry("ERROR_CODE", "SHA256_MISMATCH");
		assertThat(conversation.reply(4)).containsEntry("ERROR_CODE", "PATH_REFUSED");
		// The health check probes the file server and sets its gauge
		TestClients.local(this.port).get().uri("/actuator/health").exchange();

		PrometheusScrape after = PrometheusScrape.of(this.port);
		assertThat(after.value("dandelion_box_files_stored_total")).isEqualTo(2.0);
		assertThat(after.value("dandelion_box_stored_bytes_total")).isEqualTo(first.length + second.length);
		assertThat(after.value("dandelion_box_frames_refused_total", "reason=\"SHA256_MISMATCH\"")).isEqualTo(1.0);
		assertThat(after.value("dandelion_box_frames_refused_total", "reason=\"PATH_REFUSED\"")).isEqualTo(1.0);
		assertThat(after.value("dandelion_box_frames_refused_total", "reason=\"QUOTA_EXCEEDED\"")).isZero();
		assertThat(after.value("dandelion_box_store_used_bytes")).isEqualTo(first.length + second.length);
		assertThat(after.value("dandelion_box_file_server_serving")).isEqualTo(1.0);
	}

	@Test
	void shouldCountHeartbeatsByOutcome() {
		await().atMost(WAIT).until(() -> count(Answer.ACCEPT) >= 2);
		entrance.answer(Answer.ERROR);
		await().atMost(WAIT).until(() -> count(Answer.ERROR) >= 2);
		entrance.answer(Answer.ACCEPT);
		// The box counts an answer once it read it: between two heartbeats, its counts
		// are what the entrance answered
		await().atMost(WAIT).untilAsserted(() -> {
			PrometheusScrape scrape = PrometheusScrape.of(this.port);
			assertThat(scrape.value("dandelion_box_heartbeats_total", "outcome=\"accepted\""))
				.isEqualTo(count(Answer.ACCEPT));
			assertThat(scrape.value("dandelion_box_heartbeats_total", "outcome=\"refused\""))
				.isEqualTo(count(Answer.ERROR));
			assertThat(scrape.value("dandelion_box_heartbeats_total", "outcome=\"failed\"")).isZero();
			// Each heartbeat claimed the traffic waiting: none, as nothing was served
			assertThat(scrape.value("dandelion_box_traffic_entries_pending")).isZero();
		});
	}

	private static double count(Answer answer) {
		return entrance.received().stream().map(Received::answer).filter(answer::equals).count();
	}

}
