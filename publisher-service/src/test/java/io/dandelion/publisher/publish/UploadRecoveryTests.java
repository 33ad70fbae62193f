package io.dandelion.publisher.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher rebuilds what it knows of its uploads from its own disk: the temporary
 * files of uploads cut short (a publisher killed mid-upload) are deleted at start-up, and
 * an upload whose state Redis lost (restarted without persistence, or flushed) is queued
 * again, instead of answering 404 for good.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "publisher.security.api-token=token")
@WithTestRedis
class UploadRecoveryTests {

	private static final Path base = createBase();

	/** Left by a publisher killed mid-upload, before this one started. */
	private static final Path stalePart = base.resolve("uploads").resolve(".dandelion-tmp4711958.part");

	/** Not one of the publisher's temporary files. */
	private static final Path otherFile = base.resolve("uploads").resolve("notes.part");

	@Autowired
	private UploadRecovery recovery;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private NodeId nodeId;

	private WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("publisher.base-directory", base::toString);
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		TestRedis
			.deleteKeysWithPrefix(TestRedis.keys(Files.readString(base.resolve("publisher-id.txt")).strip()).prefix());
	}

	@BeforeEach
	void connect(@LocalServerPort int port) {
		this.client = TestClients.local(port);
	}

	@Test
	void shouldDeleteThePartsOfUploadsCutShortAtStartUp() {
		assertThat(stalePart).doesNotExist();
		assertThat(otherFile).exists();
	}

	@Test
	void shouldQueueAgainAnUploadKeptForeverWhoseStateRedisLost() {
		String name = "/kept/" + UUID.randomUUID() + ".mp4";
		upload(name, 0);
		state(name).expectStatus().isOk();
		assertThat(ExpirySidecar.of(uploadFile(name))).isRegularFile();

		loseTheState();
		state(name).expectStatus().isNotFound();

		// Other tests' uploads were lost with it
		assertThat(this.recovery.recover().block(Duration.ofSeconds(10))).isPositive();
		state(name).expectStatus().isOk().expectBody().jsonPath("$.ttl").isEqualTo(0);
		// Known again: nothing more to queue
		assertThat(this.recovery.recover().block(Duration.ofSeconds(10))).isZero();
	}

	@Test
	void shouldQueueAgainAnUploadWithTheTtlItHasLeft() {
		String name = "/later/" + UUID.randomUUID() + ".mp4";
		upload(name, 3600);
		loseTheState();

		assertThat(this.recovery.recover().block(Duration.ofSeconds(10))).isPositive();
		state(name).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.ttl")
			.value((ttl) -> assertThat(((Number) ttl).longValue()).isBetween(3500L, 3600L));
	}

	@Test
	void shouldQueueAgainAnUploadStoredOnNoBoxAnyMore() {
		String name = "/orphan/" + UUID.randomUUID() + ".mp4";
		upload(name, 0);
		// Its boxes were lost and the re-publishing gave up: stored, but on no box
		loseTheState();
		TestRedis.commands()
			.hset(this.keys.fileState(name), Map.of("STATE", "STORED", "LOCAL_PATH", uploadFile(name).toString()));
		state(name).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("stored");

		assertThat(this.recovery.recover().block(Duration.ofSeconds(10))).isPositive();
		state(name).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.value((state) -> assertThat(state).isNotEqualTo("stored"));
	}

	@Test
	void shouldLeaveAnExpiredUploadAlone() throws IOException {
		String name = "/expired/" + UUID.randomUUID() + ".mp4";
		upload(name, 600);
		ExpirySidecar.write(uploadFile(name), FileExpiry.at(Instant.now().minusSeconds(1)));
		loseTheState();

		this.recovery.recover().block(Duration.ofSeconds(10));
		state(name).expectStatus().isNotFound();
	}

	private void upload(String name, long ttl) {
		this.client.put()
			.uri("/api/v1/files" + name + "?ttl=" + ttl)
			.header(HttpHeaders.AUTHORIZATION, "Bearer token")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(name.getBytes())
			.exchange()
			.expectStatus()
			.isAccepted();
	}

	private WebTestClient.ResponseSpec state(String name) {
		return this.client.get().uri("/api/v1/files" + name).exchange();
	}

	private Path uploadFile(String name) {
		return base.resolve("uploads").resolve(this.nodeId.value()).resolve(name.substring(1));
	}

	/**
	 * What a Redis restarted without persistence, or flushed, leaves of this publisher's
	 * state.
	 */
	private void loseTheState() {
		TestRedis.deleteKeysWithPrefix(this.keys.prefix());
	}

	private static Path createBase() {
		try {
			Path base = Files.createTempDirectory("publisher-uploads");
			Files.createDirectories(base.resolve("uploads"));
			Files.writeString(base.resolve("uploads").resolve(".dandelion-tmp4711958.part"), "cut short");
			Files.writeString(base.resolve("uploads").resolve("notes.part"), "mine");
			return base;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
