package io.dandelion.entrance.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registration limits over a real WebSocket and Redis: a box that heartbeats faster
 * than allowed, and a box new to a network that already has the most live boxes, are
 * refused with their {@code ERROR_CODE}, and nothing of theirs changes; everyone else
 * goes on. Here 3 heartbeats per minute and 2 boxes per network, and boxes expire after 3
 * s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.registration.max-exchanges-per-minute=3",
				"entrance.registration.max-live-boxes-per-network=2", "entrance.expire-box-time=3s" })
@WithTestRedis
class RegistrationLimitsTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	private TestCredentials credentials;

	@BeforeEach
	void credentials() {
		this.credentials = new TestCredentials(this.keys);
	}

	@Test
	void shouldRefuseHeartbeatsOverTheRateAndKeepTheLastOneStored() {
		String boxId = boxId();
		String other = boxId();
		for (int sequence = 1; sequence <= 3; sequence++) {
			assertThat(send(heartbeat(boxId, "198.18.1.10", sequence))).isInstanceOf(ExchangeReply.class);
		}
		Map<String, String> stored = redis().hgetall(this.keys.exchange(boxId));
		Double expiry = redis().zscore(this.keys.boxSet(), boxId);

		ErrorReply refused = assertRefused(send(heartbeat(boxId, "198.18.1.10", 4)), "RATE_LIMITED");
		assertThat(refused.error()).contains(boxId, "3 heartbeats within 60 s");
		assertThat(redis().hgetall(this.keys.exchange(boxId))).isEqualTo(stored).containsEntry("SEQ", "3");
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isEqualTo(expiry);
		// Another box of the same network has a rate of its own
		assertThat(send(heartbeat(other, "198.18.1.11", 1))).isInstanceOf(ExchangeReply.class);
		// The count expires with its window: no key is left behind for good
		assertThat(redis().pttl(this.keys.exchangeCount(boxId))).isBetween(1L, 60_000L);
	}

	@Test
	void shouldRefuseABoxNewToAFullNetworkUntilOneOfItsBoxesExpired() {
		String first = boxId();
		String second = boxId();
		String third = boxId();
		assertThat(send(heartbeat(first, "198.18.2.10", 1))).isInstanceOf(ExchangeReply.class);
		assertThat(send(heartbeat(second, "198.18.2.11", 1))).isInstanceOf(ExchangeReply.class);

		ErrorReply refused = assertRefused(send(heartbeat(third, "198.18.2.12", 1)), "NETWORK_FULL");
		assertThat(refused.error()).contains("198.18.2.12", "2 live boxes", third);
		assertThat(redis().exists(this.keys.exchange(third))).isZero();
		assertThat(redis().zscore(this.keys.boxSet(), third)).isNull();
		// Boxes already counted go on, and another /24 is not affected
		assertThat(send(heartbeat(first, "198.18.2.10", 2))).isInstanceOf(ExchangeReply.class);
		assertThat(send(heartbeat(boxId(), "198.18.3.10", 1))).isInstanceOf(ExchangeReply.class);

		// Once the others fall silent and expire, their places are free again
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> redis().zscore(this.keys.boxSet(), first) == null
					&& redis().zscore(this.keys.boxSet(), second) == null);
		assertThat(send(heartbeat(third, "198.18.2.12", 2))).isInstanceOf(ExchangeReply.class);
		assertThat(redis().zrange(this.keys.networkBoxes("198.18.2.0/24"), 0, -1)).containsExactly(third);
		assertThat(redis().ttl(this.keys.networkBoxes("198.18.2.0/24"))).isBetween(1L, 4L);
	}

	@Test
	void shouldKeepWhenABoxWasFirstSeenAcrossItsHeartbeats() {
		String boxId = boxId();
		assertThat(send(heartbeat(boxId, "198.18.4.10", 1))).isInstanceOf(ExchangeReply.class);
		String firstSeen = redis().hget(this.keys.exchange(boxId), "FIRST_SEEN");
		assertThat(firstSeen).isEqualTo(redis().hget(this.keys.exchange(boxId), "LAST_SEEN"));
		// A box cannot claim to be older than it is
		ExchangeRequest claimingAge = heartbeat(boxId, "198.18.4.10", 2);
		claimingAge = this.credentials.sign(claimingAge.withExtra(Map.of("SEQ", "2", "FIRST_SEEN", "1")));
		assertThat(send(claimingAge)).isInstanceOf(ExchangeReply.class);
		assertThat(redis().hget(this.keys.exchange(boxId), "FIRST_SEEN")).isEqualTo(firstSeen);
		assertThat(redis().hget(this.keys.exchange(boxId), "SEQ")).isEqualTo("2");
		// Operators see since when, and that its own figures do not count yet
		TestClients.local(this.port)
			.get()
			.uri("/dandelion/api/v1/boxes/{id}", boxId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.firstSeen")
			.isEqualTo(Instant.ofEpochMilli(Long.parseLong(firstSeen)).toString())
			.jsonPath("$.rank.reasons.claims_trusted")
			.value((Number trusted) -> assertThat(trusted.doubleValue()).isBetween(0.0, 0.01));
	}

	private ExchangeRequest heartbeat(String boxId, String ip, int sequence) {
		return this.credentials.sign(ExchangeRequest
			.of(boxId, ip, 7070, "http://" + ip + ":7070/dandelion/" + boxId + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072)
			.withExtra(Map.of("SEQ", Integer.toString(sequence))));
	}

	private Message send(ExchangeRequest request) {
		return this.codec
			.decode(new EntranceTestClient(this.port, "127.0.2.10").send(false, 1, this.codec.encode(request))
				.replies()
				.get(0));
	}

	private static ErrorReply assertRefused(Message reply, String code) {
		assertThat(reply).isInstanceOf(ErrorReply.class);
		ErrorReply error = (ErrorReply) reply;
		assertThat(error.errorCode()).isEqualTo(code);
		return error;
	}

	private static String boxId() {
		return NodeId.random(Role.BOX).value();
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
