package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dandelion.agent.config.TestTrust;
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

/**
 * Publish tickets in strict mode: a valid ticket is the only way in.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "box.serving.data-port=0")
@WithTestRedis
class StrictPublishTicketTests extends AbstractPublishTicketTests {

	private static final Path base = createTempDirectory("box-tickets-strict").resolve("store");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, TestTrust.boxCredential());
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
		return ticket == TicketCase.VALID;
	}

	/**
	 * The original's publishers send no ticket: refused, and told so though they asked
	 * for no acks.
	 */
	@Test
	void shouldRefuseTheOriginalsPublishers() throws IOException {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		assertRefusedWithoutTrace(
				PublisherTestClient.original(this.port, this.boxId.value())
					.exchangeUntilClosed(PublisherTestClient.publish(publisherId, null),
							PublisherTestClient.frame("/original.ts", 0, new byte[10])),
				publisherId, TicketCase.MISSING.refusal);
	}

}
