package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PUBLISH and its ticket over a real WebSocket to a running box (real Redis, real files):
 * a publisher is accepted only with a valid ticket (or, in compatible mode, with none);
 * any other is answered {@code BAD_TICKET}, the connection closed with 4003, and nothing
 * recorded: no {@code {box}:EXCHANGE:{publisher}} key, no directory, no file from a frame
 * sent right after.
 */
@Tag(TestRedis.TAG)
abstract class AbstractPublishTicketTests {

	@LocalServerPort
	int port;

	@Autowired
	NodeId boxId;

	/** The store of the running box. */
	abstract Path base();

	/** Whether the box lets a publisher in with this ticket. */
	abstract boolean accepts(TicketCase ticket);

	/** The tickets a publisher may present, each for the given publisher and box. */
	enum TicketCase {

		VALID(null) {
			@Override
			String ticket(String publisherId, String boxId) {
				return TestTrust.ticket(publisherId, boxId);
			}
		},

		MISSING("needs a PUBLISH_TICKET") {
			@Override
			String ticket(String publisherId, String boxId) {
				return null;
			}
		},

		EMPTY("needs a PUBLISH_TICKET") {
			@Override
			String ticket(String publisherId, String boxId) {
				return "";
			}
		},

		MALFORMED("is not a ticket") {
			@Override
			String ticket(String publisherId, String boxId) {
				return "dt1.not-a-ticket";
			}
		},

		WRONG_SIGNER("not signed by an entrance key this box trusts") {
			@Override
			String ticket(String publisherId, String boxId) {
				return new PublishTicket(TestTrust.ENTRANCE_ID, publisherId, boxId, Instant.now().plusSeconds(300))
					.sign(TestTrust.keyPair(42).getPrivate());
			}
		},

		ANOTHER_PUBLISHER("issued to another publisher") {
			@Override
			String ticket(String publisherId, String boxId) {
				return TestTrust.ticket(NodeId.random(Role.PUBLISHER).value(), boxId);
			}
		},

		ANOTHER_BOX("issued for another box") {
			@Override
			String ticket(String publisherId, String boxId) {
				return TestTrust.ticket(publisherId, NodeId.random(Role.BOX).value());
			}
		},

		EXPIRED("expired") {
			@Override
			String ticket(String publisherId, String boxId) {
				return new PublishTicket(TestTrust.ENTRANCE_ID, publisherId, boxId, Instant.now().minusSeconds(1))
					.sign(TestTrust.entrancePrivateKey());
			}
		},

		OVER_LONG("is not a ticket") {
			@Override
			String ticket(String publisherId, String boxId) {
				String valid = TestTrust.ticket(publisherId, boxId);
				return valid + "A".repeat(PublishTicket.MAX_CHARS + 1 - valid.length());
			}
		};

		/** What the refusal's ERROR says. */
		final String refusal;

		TicketCase(String refusal) {
			this.refusal = refusal;
		}

		abstract String ticket(String publisherId, String boxId);

	}

	@ParameterizedTest
	@EnumSource(TicketCase.class)
	void shouldAcceptOnlyPublishersWithAValidTicket(TicketCase ticketCase) throws IOException {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		String publish = PublisherTestClient.publish(publisherId, ticketCase.ticket(publisherId, this.boxId.value()));
		byte[] content = "after PUBLISH".getBytes(StandardCharsets.US_ASCII);
		byte[] frame = PublisherTestClient.frame("/after/publish.ts", 0, content);
		PublisherTestClient client = new PublisherTestClient(this.port, this.boxId.value());
		if (accepts(ticketCase)) {
			Conversation conversation = client.exchange(2, publish, frame);
			assertThat(conversation.reply(0)).containsEntry("MESSAGE", "ACCEPTED");
			assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
			assertThat(Files.readAllBytes(base().resolve(publisherId).resolve("after/publish.ts"))).isEqualTo(content);
			// The ticket, a permission of minutes, is not kept with the PUBLISH
			assertThat(TestRedis.commands().hgetall(TestRedis.keys(this.boxId.value()).exchange(publisherId)))
				.containsEntry("ID", publisherId)
				.doesNotContainKey(PublishTicket.FIELD);
			return;
		}
		assertRefusedWithoutTrace(client.exchangeUntilClosed(publish, frame), publisherId, ticketCase.refusal);
	}

	void assertRefusedWithoutTrace(Conversation conversation, String publisherId, String refusal) throws IOException {
		assertRefusedWithoutTrace(conversation, this.boxId.value(), base(), publisherId, refusal);
	}

	/**
	 * The box answered BAD_TICKET, closed with 4003, and kept nothing of the publisher.
	 * @param conversation what the box answered
	 * @param boxId the box
	 * @param base the box's store
	 * @param publisherId the refused publisher
	 * @param refusal what the reply's ERROR says, {@code null} not to check
	 */
	static void assertRefusedWithoutTrace(Conversation conversation, String boxId, Path base, String publisherId,
			String refusal) throws IOException {
		assertThat(conversation.replies()).hasSize(1);
		Map<String, Object> reply = conversation.reply(0);
		assertThat(reply).containsEntry("ERROR_CODE", "BAD_TICKET")
			.containsEntry("ID", boxId)
			.containsEntry("TYPE", "BOX")
			.doesNotContainKey("COMMAND");
		if (refusal != null) {
			assertThat((String) reply.get("ERROR")).contains(refusal);
		}
		assertThat(conversation.closeStatus()).isNotNull();
		assertThat(conversation.closeStatus().getCode()).isEqualTo(CloseCodes.NOT_ACCEPTED);
		assertThat(TestRedis.commands().exists(TestRedis.keys(boxId).exchange(publisherId)))
			.as("%s kept in Redis", publisherId)
			.isZero();
		try (Stream<Path> files = Files.walk(base)) {
			assertThat(files.map(Path::toString)).as("files of %s", publisherId)
				.noneMatch((file) -> file.contains(publisherId));
		}
	}

	static Path createTempDirectory(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
