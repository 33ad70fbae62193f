package io.dandelion.agent.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Connection;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.StoppableRedis;
import io.dandelion.protocol.testing.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A box while its Redis is unavailable, on a Redis of this test's own that it stops: a
 * PUBLISH is refused with {@code UNAVAILABLE} and a frame with {@code WRITE_FAILED}
 * within a few seconds, nothing of the refused file is left to serve, health says DOWN,
 * and the box stores again by itself once Redis is back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "box.serving.data-port=0")
class PublishRedisOutageTests {

	/** A reply must come within this while Redis is unavailable. */
	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

	private static final StoppableRedis redis = StoppableRedis.start();

	private static final Path base = createTempDirectory().resolve("store");

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId boxId;

	private PublisherTestClient client;

	private String publisherId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		registry.add("spring.data.redis.url", redis::url);
		TestTrust.strictBox(registry, TestTrust.boxCredential());
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void connect() {
		redis.startAgain();
		this.client = new PublisherTestClient(this.port, this.boxId.value());
		this.publisherId = NodeId.random(Role.PUBLISHER).value();
	}

	@Test
	void shouldRefuseAPublishAtOnceWhileRedisIsDownAndAcceptItWhenRedisIsBack() {
		redis.stop();
		try (Connection connection = this.client.open()) {
			Map<String, Object> reply = connection.request(this.client.publish(this.publisherId), ANSWER_WITHIN);
			assertThat(reply).containsEntry("ERROR_CODE", "UNAVAILABLE").containsEntry("ID", this.boxId.value());
		}
		TestClients.local(this.port)
			.mutate()
			.responseTimeout(ANSWER_WITHIN)
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.components.redis.status")
			.isEqualTo("DOWN");

		redis.startAgain();
		byte[] content = "stored once Redis is back".getBytes(StandardCharsets.UTF_8);
		await("the box accepting publishers again").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			try (Connection connection = this.client.open()) {
				return "ACCEPTED"
					.equals(connection.request(this.client.publish(this.publisherId), ANSWER_WITHIN).get("MESSAGE"))
						&& "STORED".equals(
								connection.request(PublisherTestClient.frame("/back.txt", 60, content), ANSWER_WITHIN)
									.get("COMMAND"));
			}
		});
		assertThat(base.resolve(this.publisherId).resolve("back.txt")).hasBinaryContent(content);
	}

	@Test
	void shouldRefuseAFrameAtOnceWhileRedisIsDownAndLeaveNothingOfIt() {
		try (Connection connection = this.client.open()) {
			assertThat(connection.request(this.client.publish(this.publisherId), ANSWER_WITHIN))
				.containsEntry("MESSAGE", "ACCEPTED");
			redis.stop();
			byte[] content = "never half stored".getBytes(StandardCharsets.UTF_8);
			Map<String, Object> reply = connection.request(PublisherTestClient.frame("/live/1.ts", 60, content),
					ANSWER_WITHIN);
			assertThat(reply).containsEntry("COMMAND", "STORED")
				.containsEntry("ERROR_CODE", "WRITE_FAILED")
				.containsEntry("FILE_PATH", "/live/1.ts");
		}
		assertThat(filesOf(this.publisherId)).isEmpty();
	}

	/** Every file in the publisher's directory, temporary ones included. */
	private static List<Path> filesOf(String publisherId) {
		try (Stream<Path> all = Files.walk(base.resolve(publisherId))) {
			return all.filter(Files::isRegularFile).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("box-redis-outage");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
