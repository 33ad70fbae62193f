package io.dandelion.entrance.system;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedisCluster;
import io.dandelion.protocol.testing.TestRedisCluster.Failover;
import io.dandelion.protocol.testing.WithTestRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entrance on a real Redis Cluster (three masters, three replicas), given its nodes
 * alone: it picks the cluster key layout, so every key of the entrance shares one slot
 * and its scripts run there; credentials, heartbeats, SEARCH and expiry work as on one
 * Redis; and boxes heartbeating through a failover of the master holding that slot stay
 * registered, none dropped and registered again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.expire-box-time=3s", "entrance.sweep-period=200ms",
				"entrance.security.admin-token=" + RedisClusterTests.ADMIN_TOKEN,
				"entrance.registration.max-live-boxes-per-network=" + RedisClusterTests.BOXES,
				"entrance.registration.max-exchanges-per-minute=600",
				"dandelion.limits.max-connections-per-ip=" + (RedisClusterTests.BOXES * 4) })
@WithTestRedisCluster
class RedisClusterTests {

	static final String ADMIN_TOKEN = "redis-cluster-tests-token";

	static final int BOXES = 20;

	private static final Duration HEARTBEAT_PERIOD = Duration.ofMillis(250);

	private static final int ROUNDS_AFTER_FAILOVER = 4;

	private static final int MAX_ROUNDS = 100;

	// Without @RegisterExtension: nothing of it is on the shared Redis
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private ObjectMapper mapper;

	@Test
	void shouldUseTheClusterLayoutWithEveryKeyOfTheEntranceInOneSlot() {
		assertThat(this.keys.prefix()).isEqualTo("{" + entrance.id().value() + "}:");
		String boxId = NodeId.random(Role.BOX).value();
		int slot = SlotHash.getSlot(this.keys.boxSet());
		assertThat(List.of(this.keys.exchange(boxId), this.keys.credentials(), this.keys.authTimes(),
				this.keys.networkBoxes("127.0.0.0/24"), this.keys.trafficSeen(boxId), this.keys.reporters(boxId)))
			.allSatisfy((key) -> assertThat(SlotHash.getSlot(key)).as(key).isEqualTo(slot));
	}

	@Test
	void shouldRegisterABoxWithAnIssuedCredentialAndFindItBySearch() throws Exception {
		NodeCredential box = issue(NodeId.random(Role.BOX).value());
		NodeCredential publisher = issue(NodeId.random(Role.PUBLISHER).value());
		ExchangeRequest exchange = exchange(box.id().value(), "127.0.2.10");

		Message reply = send(MessageAuth.sign(exchange, box, Instant.now()));

		assertThat(reply).isInstanceOfSatisfying(ExchangeReply.class,
				(accepted) -> assertThat(accepted.accepted()).isTrue());
		assertThat(redis().zscore(this.keys.boxSet(), box.id().value())).isNotNull();
		assertThat(redis().hget(this.keys.authTimes(), box.id().value())).isNotNull();
		Message found = send(MessageAuth.sign(new SearchRequest(publisher.id().value(), "127.0.2.50", null, null),
				publisher, Instant.now()));
		assertThat(found).isInstanceOfSatisfying(SearchReply.class,
				(search) -> assertThat(search.boxSet()).containsKey(box.id().value()));
	}

	@Test
	void shouldDropASilentBoxWithItsData() {
		String boxId = NodeId.random(Role.BOX).value();
		TestCredentials credentials = new TestCredentials(this.keys, RedisClusterTests::redis);
		assertThat(send(credentials.sign(exchange(boxId, "127.0.3.10")))).isInstanceOf(ExchangeReply.class);
		assertThat(redis().exists(this.keys.exchange(boxId))).isOne();

		Instant giveUp = Instant.now().plusSeconds(6);
		while (redis().zscore(this.keys.boxSet(), boxId) != null && Instant.now().isBefore(giveUp)) {
			sleep(Duration.ofMillis(50));
		}
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).as("dropped after its expiry").isNull();
		assertThat(redis().exists(this.keys.exchange(boxId))).isZero();
	}

	@Test
	void shouldKeepEveryBoxRegisteredThroughAFailoverInTheMiddleOfHeartbeats() {
		TestCredentials credentials = new TestCredentials(this.keys, RedisClusterTests::redis);
		List<String> boxIds = new ArrayList<>();
		for (int box = 0; box < BOXES; box++) {
			boxIds.add(NodeId.random(Role.BOX).value());
		}
		EntranceTestClient client = new EntranceTestClient(this.port, null);
		AtomicInteger round = new AtomicInteger();
		Map<String, Integer> acceptedRound = new ConcurrentHashMap<>();
		List<String> refusals = new ArrayList<>();
		Runnable heartbeatRound = () -> {
			int current = round.incrementAndGet();
			Flux.range(0, BOXES).flatMap((box) -> {
				String boxId = boxIds.get(box);
				ExchangeRequest exchange = exchange(boxId, "127.0." + (box % 6) + "." + (10 + box / 6))
					.withExtra(Map.of("ROUND", Integer.toString(current)));
				return client.sendAsync(false, 1, this.codec.encode(credentials.sign(exchange)))
					.doOnNext((conversation) -> {
						Message reply = conversation.replies().isEmpty() ? null
								: this.codec.decode(conversation.replies().get(0));
						if (reply instanceof ExchangeReply accepted && accepted.accepted()) {
							acceptedRound.merge(boxId, current, Math::max);
						}
						else {
							synchronized (refusals) {
								refusals
									.add("round " + current + ", " + boxId + ": " + ((reply instanceof ErrorReply error)
											? error.errorCode() + " " + error.error() : String.valueOf(conversation)));
							}
						}
					});
			}, BOXES).then().block(Duration.ofSeconds(15));
		};

		heartbeatRound.run();
		assertThat(acceptedRound).as("every box registered before the failover: %s", refusals).hasSize(BOXES);
		Map<String, String> firstSeen = new ConcurrentHashMap<>();
		boxIds.forEach((boxId) -> firstSeen.put(boxId, redis().hget(this.keys.exchange(boxId), "FIRST_SEEN")));

		// Rounds go on until a few after the failover, at most MAX_ROUNDS
		AtomicInteger lastRoundWanted = new AtomicInteger(MAX_ROUNDS);
		Thread heartbeats = new Thread(() -> {
			while (round.get() < lastRoundWanted.get()) {
				heartbeatRound.run();
				sleep(HEARTBEAT_PERIOD);
			}
		}, "cluster-test-heartbeats");
		heartbeats.start();
		sleep(HEARTBEAT_PERIOD.multipliedBy(3));
		Failover failover = TestRedisCluster.shared().failover(this.keys.boxSet());
		lastRoundWanted.set(round.get() + ROUNDS_AFTER_FAILOVER);
		join(heartbeats);

		assertThat(TestRedisCluster.shared().masterPortOf(this.keys.boxSet())).isEqualTo(failover.newMasterPort());
		int lastRound = round.get();
		assertThat(lastRound).as("rounds after the failover, within %s", MAX_ROUNDS).isEqualTo(lastRoundWanted.get());
		for (String boxId : boxIds) {
			assertThat(acceptedRound.get(boxId)).as("last accepted heartbeat of %s (refused: %s)", boxId, refusals)
				.isEqualTo(lastRound);
			assertThat(redis().zscore(this.keys.boxSet(), boxId)).as(boxId).isNotNull();
			assertThat(redis().hget(this.keys.exchange(boxId), "ROUND")).isEqualTo(Integer.toString(lastRound));
			// A box dropped and registered again would have a new FIRST_SEEN
			assertThat(redis().hget(this.keys.exchange(boxId), "FIRST_SEEN")).as("%s registered once", boxId)
				.isEqualTo(firstSeen.get(boxId));
		}
	}

	private NodeCredential issue(String nodeId) throws Exception {
		byte[] body = TestClients.local(this.port)
			.put()
			.uri("/dandelion/api/v1/credentials/{id}", nodeId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody();
		JsonNode issued = this.mapper.readTree(body);
		NodeCredential credential = NodeCredential.parse(issued.get("CREDENTIAL").asText());
		assertThat(redis().hget(this.keys.credentials(), nodeId)).isEqualTo(credential.encodedSecret());
		return credential;
	}

	private static ExchangeRequest exchange(String boxId, String ip) {
		return ExchangeRequest.of(boxId, ip, 7072, "ws://" + ip + ":7071/dandelion/" + boxId + "/ws/", BoxMetrics.NONE);
	}

	private Message send(Message request) {
		return this.codec.decode(new EntranceTestClient(this.port, null).request(this.codec.encode(request)));
	}

	private static RedisAdvancedClusterCommands<String, String> redis() {
		return TestRedisCluster.shared().commands();
	}

	private static void join(Thread thread) {
		try {
			thread.join(Duration.ofSeconds(60).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(thread.isAlive()).as("heartbeats finished").isFalse();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
