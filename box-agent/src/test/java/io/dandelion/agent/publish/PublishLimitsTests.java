package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.agent.system.TestTrust;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The box's limits against a running box: a frame over {@code BOX_MAX_FRAME_SIZE} and
 * files over {@code BOX_MAX_STORAGE}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "box.store.max-frame-size=2MB", "box.store.max-storage=3MB", "box.serving.data-port=0" })
@WithTestRedis
class PublishLimitsTests {

	private static final Path base = createTempDirectory().resolve("store");

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId boxId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, TestTrust.boxCredential());
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(Files.readString(base.resolve("box-id.txt")).strip()).prefix());
	}

	@Test
	void shouldCloseTheConnectionOnFrameOverTheLimitAndWriteNothing() throws IOException {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		Conversation conversation = client.exchangeUntilClosed(client.publish(publisherId),
				PublisherTestClient.frame("/huge.mp4", 0, new byte[3 * 1024 * 1024]));
		// The box may close before its PUBLISH reply is out: the frame follows at once
		assertThat(conversation.replies()).allSatisfy((reply) -> assertThat(reply).doesNotContainKey("SIZE"));
		// The close frame says why, unless the client was still sending when the box shut
		// its side: the unread bytes then reset the connection before the close frame is
		// read
		if (conversation.closeStatus() != null) {
			assertThat(conversation.closeStatus().getCode()).isIn(1009, CloseCodes.TOO_LARGE);
		}
		try (Stream<Path> files = Files.walk(base)) {
			assertThat(files.filter(Files::isRegularFile).map(Path::toString))
				.noneMatch((file) -> file.contains(publisherId));
		}
	}

	@Test
	void shouldRefuseFilesOverTheStorageQuota() {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		byte[] content = new byte[1800 * 1024];
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		Conversation conversation = client.exchange(3, client.publish(publisherId),
				PublisherTestClient.frame("/one.ts", 60, content), PublisherTestClient.frame("/two.ts", 60, content));
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
		assertThat(conversation.reply(2)).containsEntry("ERROR_CODE", "QUOTA_EXCEEDED")
			.containsEntry("FILE_PATH", "/two.ts");
		assertThat(base.resolve(publisherId).resolve("one.ts")).exists();
		assertThat(base.resolve(publisherId).resolve("two.ts")).doesNotExist();
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
