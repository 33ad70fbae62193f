package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publish tickets in compatible mode: the original's publishers, which send no ticket,
 * are let in; a ticket that is sent must still be valid.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "box.serving.data-port=0", "dandelion.security.mode=compatible" })
@WithTestRedis
class CompatiblePublishTicketTests extends AbstractPublishTicketTests {

	private static final Path base = createTempDirectory("box-tickets-compatible").resolve("store");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		registry.add("box.security.entrance-public-keys[0]", TestTrust::entrancePublicKey);
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(Files.readString(base.resolve("box-id.txt")).strip()).prefix());
	}

	@Override
	Path base() {
		return base;
	}

	@Override
	boolean accepts(TicketCase ticket) {
		return ticket == TicketCase.VALID || ticket == TicketCase.MISSING;
	}

	/**
	 * The original's publisher: no ticket, no {@code dandelion.v2}. It is accepted, its
	 * files stored, and it gets no STORED acks (its dispatcher would drop the connection
	 * on one), while PUBLISH and ERROR replies, which it knows, still come.
	 */
	@Test
	void shouldStoreTheOriginalsFilesWithoutAcks() throws IOException {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		byte[] content = PublishWebSocketHandlerTests.randomBytes(4096);
		Conversation conversation = PublisherTestClient.original(this.port, this.boxId.value())
			.exchange(2, PublisherTestClient.publish(publisherId, null),
					PublisherTestClient.frame("/quiet.ts", 60, content), "not json");
		assertThat(conversation.reply(0)).containsEntry("MESSAGE", "ACCEPTED").containsEntry("COMMAND", "PUBLISH");
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "INVALID_JSON").doesNotContainKey("COMMAND");
		Path stored = base.resolve(publisherId).resolve("quiet.ts");
		assertThat(Files.readAllBytes(stored)).isEqualTo(content);
		assertThat(TestRedis.commands().zscore(TestRedis.keys(this.boxId.value()).expireFiles(), stored.toString()))
			.isNotNull();
	}

}
