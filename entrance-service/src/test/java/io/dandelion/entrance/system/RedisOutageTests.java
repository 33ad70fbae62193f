package io.dandelion.entrance.system;

import java.time.Duration;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.EntranceTestClient.Conversation;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.StoppableRedis;
import io.dandelion.protocol.testing.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.dandelion.protocol.testing.UnavailableResponses.assertUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The entrance while its Redis is unavailable, on a Redis of this test's own that it
 * stops and pauses: every request is answered within a few seconds (503 with
 * {@code Retry-After}, health DOWN, EXCHANGE refused with {@code UNAVAILABLE}), and the
 * entrance serves again by itself once Redis is back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "dandelion.security.mode=compatible")
class RedisOutageTests {

	/** An answer must come within this while Redis is unavailable. */
	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

	/** How long the entrance may take to serve again once Redis is back. */
	private static final Duration RECOVERY = Duration.ofSeconds(30);

	private static final StoppableRedis redis = StoppableRedis.start();

	// A plain field, not an extension: its keys are on
	// this test's own Redis, which goes away with it
	private static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	private WebTestClient client;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", redis::url);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void connect() {
		redis.startAgain();
		this.client = TestClients.local(this.port).mutate().responseTimeout(ANSWER_WITHIN).build();
		awaitServing();
	}

	@Test
	void shouldAnswerAtOnceWhileRedisIsStoppedAndServeAgainWhenItIsBack() {
		redis.stop();

		assertUnavailable(this.client.get().uri("/dandelion/api/v1/boxes").exchange());
		assertHealthDown();
		assertThat(exchange()).isInstanceOfSatisfying(ErrorReply.class,
				(reply) -> assertThat(reply.errorCode()).isEqualTo("UNAVAILABLE"));

		redis.startAgain();
		awaitServing();
	}

	@Test
	void shouldAnswerWithinTheCommandTimeoutWhileRedisHangs() {
		// Long enough for the three requests below, each waiting for the command timeout
		redis.pause(Duration.ofSeconds(15));

		assertUnavailable(this.client.get().uri("/dandelion/api/v1/boxes").exchange());
		assertHealthDown();
		assertThat(exchange()).isInstanceOfSatisfying(ErrorReply.class,
				(reply) -> assertThat(reply.errorCode()).isEqualTo("UNAVAILABLE"));

		awaitServing();
	}

	private void assertHealthDown() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.components.redis.status")
			.isEqualTo("DOWN");
	}

	/** One EXCHANGE of a new box, answered within {@link #ANSWER_WITHIN}. */
	private Message exchange() {
		String boxId = NodeId.random(Role.BOX).value();
		ExchangeRequest request = ExchangeRequest.of(boxId, "127.0.2.10", 7072,
				"ws://127.0.2.10:7071/dandelion/" + boxId + "/ws/", BoxMetrics.NONE);
		Conversation conversation = new EntranceTestClient(this.port, "127.0.2.10")
			.sendAsync(false, 1, this.codec.encode(request))
			.block(ANSWER_WITHIN);
		assertThat(conversation.replies()).as("replies to an EXCHANGE (%s)", conversation.error()).hasSize(1);
		return this.codec.decode(conversation.replies().get(0));
	}

	private void awaitServing() {
		await("the entrance serving with its Redis").atMost(RECOVERY)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> {
				boolean listing = TestClients.local(this.port)
					.get()
					.uri("/dandelion/api/v1/boxes")
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.is2xxSuccessful();
				return listing && exchange() instanceof ExchangeReply reply && reply.accepted();
			});
	}

}
