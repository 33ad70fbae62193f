package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.agent.store.FileStore;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
 * The box's limits against a running box: a frame over {@code BOX_MAX_FRAME_SIZE}, files
 * over {@code BOX_MAX_STORAGE} and over {@code BOX_MAX_STORAGE_PER_PUBLISHER}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "box.store.max-frame-size=2MB", "box.store.max-storage=3MB",
				"box.store.max-storage-per-publisher=2MB", "box.serving.data-port=0" })
@WithTestRedis
class PublishLimitsTests {

	private static final Path base = createTempDirectory().resolve("store");

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId boxId;

	@Autowired
	private FileStore store;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, TestTrust.boxCredential());
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(Files.readString(base.resolve("box-id.txt")).strip()).prefix());
	}

	/** Each test starts with an empty store, as if every file had expired. */
	@AfterEach
	void deleteFiles() throws IOException {
		List<Path> stored;
		try (Stream<Path> files = Files.walk(base)) {
			stored = files.filter(Files::isRegularFile)
				.filter((file) -> base.relativize(file).getName(0).toString().startsWith("publisher-"))
				.filter((file) -> !ExpirySidecar.isSidecar(file))
				.toList();
		}
		stored.forEach((file) -> this.store.deleteExpired(file, Long.MAX_VALUE));
		assertThat(this.store.usedBytes()).isZero();
	}

	@Test
	void shouldCloseTheConnectionOnFrameOverTheLimitAndWriteNothing() throws IOException {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		Conversation conversation = client.exchangeUntilClosed(client.publish(publisherId),
				PublisherTestClient.frame("/huge.mp4", 0, new byte[3 * 1024 * 1024]));
		// The box may close before its PUBLISH reply is out: the frame follows at once
		assertThat(conversation.replies()).allSatisfy((reply) -> assertThat(reply).doesNotContainKey("SIZE"));
		// The close frame says why, unless the client was still sending when the
		// box shut its side: the unread bytes then reset the connection before the
		// close frame is read
		if (conversation.closeStatus() != null) {
			assertThat(conversation.closeStatus().getCode()).isIn(1009, CloseCodes.TOO_LARGE);
		}
		try (Stream<Path> files = Files.walk(base)) {
			assertThat(files.filter(Files::isRegularFile).map(Path::toString))
				.noneMatch((file) -> file.contains(publisherId));
		}
	}

	@Test
	void shouldCloseTheConnectionOnFragmentedFrameOverTheLimitAndWriteNothing() throws IOException {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		Conversation conversation = client.exchangeUntilClosed(client.publish(publisherId),
				PublisherTestClient.Fragments.of("/huge.mp4", 0, null, 3 * 1024 * 1024, 256 * 1024));
		assertThat(conversation.replies()).allSatisfy((reply) -> assertThat(reply).doesNotContainKey("SIZE"));
		if (conversation.closeStatus() != null) {
			assertThat(conversation.closeStatus().getCode()).isEqualTo(1009);
		}
		// The write of the fragments already taken fails once the box closed: its
		// temporary file goes then
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			try (Stream<Path> files = Files.walk(base)) {
				assertThat(files.filter(Files::isRegularFile).map(Path::toString))
					.noneMatch((file) -> file.contains(publisherId));
			}
		});
	}

	@Test
	void shouldRefuseFilesOverTheStorageQuota() {
		String first = NodeId.random(Role.PUBLISHER).value();
		String second = NodeId.random(Role.PUBLISHER).value();
		byte[] content = new byte[1800 * 1024];
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		Conversation stored = client.exchange(2, client.publish(first),
				PublisherTestClient.frame("/one.ts", 60, content));
		assertThat(stored.reply(1)).containsEntry("SIZE", content.length);
		// Within the second publisher's quota, but not the box's
		Conversation refused = client.exchange(2, client.publish(second),
				PublisherTestClient.frame("/two.ts", 60, content));
		assertThat(refused.reply(1)).containsEntry("ERROR_CODE", "QUOTA_EXCEEDED")
			.containsEntry("FILE_PATH", "/two.ts");
		assertThat(base.resolve(first).resolve("one.ts")).exists();
		assertThat(base.resolve(second).resolve("two.ts")).doesNotExist();
	}

	@Test
	void shouldRefuseAPublisherOverItsQuotaWhileAnotherStillStores() {
		String greedy = NodeId.random(Role.PUBLISHER).value();
		String other = NodeId.random(Role.PUBLISHER).value();
		byte[] large = new byte[1800 * 1024];
		byte[] small = new byte[300 * 1024];
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		Conversation conversation = client.exchange(4, client.publish(greedy),
				PublisherTestClient.frame("/one.ts", 60, large), PublisherTestClient.frame("/two.ts", 60, small),
				// Replacing a file counts only what it adds: 200 KiB more still fit
				PublisherTestClient.frame("/one.ts", 60, new byte[2000 * 1024]));
		assertThat(conversation.reply(1)).containsEntry("SIZE", large.length);
		assertThat(conversation.reply(2)).containsEntry("COMMAND", "STORED")
			.containsEntry("ERROR_CODE", "PUBLISHER_QUOTA_EXCEEDED")
			.containsEntry("FILE_PATH", "/two.ts")
			.doesNotContainKey("SIZE");
		assertThat((String) conversation.reply(2).get("ERROR")).contains(greedy)
			.contains("holds " + large.length + " bytes")
			.contains("quota of " + 2 * 1024 * 1024 + " bytes");
		assertThat(conversation.reply(3)).containsEntry("SIZE", 2000 * 1024);
		assertThat(base.resolve(greedy).resolve("two.ts")).doesNotExist();
		// The box has room left, and the other publisher gets it
		Conversation others = client.exchange(2, client.publish(other),
				PublisherTestClient.frame("/two.ts", 60, small));
		assertThat(others.reply(1)).containsEntry("SIZE", small.length);
		assertThat(base.resolve(other).resolve("two.ts")).hasSize(small.length);
		assertThat(this.store.usedBytes(greedy)).isEqualTo(2000 * 1024);
		assertThat(this.store.usedBytes(other)).isEqualTo(small.length);
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("box-limits");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
