package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.dandelion.agent.heartbeat.TestEntrance.Received;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats to an entrance that keeps connections open ({@code dandelion.v2}), from a
 * box bound to its own loopback address.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
@DirtiesContext
class EntranceClientTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	static final String BOX_IP = "127.0.2.10";

	static final TestEntrance entrance = TestEntrance.start(true);

	@LocalServerPort
	int port;

	@Autowired
	NodeId nodeId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", entrance::url);
		registry.add("box.server-ip", () -> BOX_IP);
	}

	static void fastHeartbeats(DynamicPropertyRegistry registry) throws IOException {
		String base = Files.createTempDirectory("box-heartbeat").toString();
		registry.add("box.base-directory", () -> base);
		registry.add("box.ping-entrance-freq", () -> "200ms");
		registry.add("box.heartbeat.reply-timeout", () -> "2s");
		registry.add("box.heartbeat.backoff-min", () -> "50ms");
		registry.add("box.heartbeat.backoff-max", () -> "500ms");
		registry.add("box.traffic.poll-interval", () -> "100ms");
	}

	@AfterAll
	static void stopEntrance() {
		entrance.close();
	}

	@Test
	void shouldHeartbeatOnOnePersistentConnection() {
		await().atMost(WAIT).untilAsserted(() -> {
			Map<Integer, Long> perConnection = entrance.received()
				.stream()
				.collect(Collectors.groupingBy(Received::connection, Collectors.counting()));
			assertThat(perConnection.values()).anySatisfy((count) -> assertThat(count).isGreaterThanOrEqualTo(3));
		});
	}

	@Test
	void shouldAdvertiseTheBoxWebSocket() {
		ExchangeRequest request = latest(entrance);
		assertThat(request.id()).isEqualTo(this.nodeId.value());
		assertThat(request.port()).isEqualTo(this.port);
		assertThat(request.connectWs())
			.isEqualTo("http://" + request.ip() + ":" + this.port + "/dandelion/" + this.nodeId.value() + "/ws/");
		assertThat(request.metrics().cpuCount()).isPositive();
		assertThat(request.metrics().uplinkMbps()).isEqualTo(10.0);
		assertThat(request.metrics().memoryAvailableKib()).isLessThanOrEqualTo(request.metrics().memoryTotalKib());
		// No credential, no proof: what entrances in compatible mode accept
		assertThat(request.extra()).doesNotContainKeys(MessageAuth.TIME_FIELD, MessageAuth.SIGNATURE_FIELD);
	}

	@Test
	void shouldLeaveFromTheServerAddress() {
		latest(entrance);
		assertThat(entrance.received()).extracting(Received::from).containsOnly(BOX_IP);
	}

	@Test
	void shouldAdoptTheAddressTheEntranceSees() {
		try {
			entrance.yourIp("203.0.113.7");
			await().atMost(WAIT).untilAsserted(() -> {
				ExchangeRequest request = latest(entrance);
				assertThat(request.ip()).isEqualTo("203.0.113.7");
				assertThat(request.connectWs()).startsWith("http://203.0.113.7:" + this.port + "/dandelion/");
			});
		}
		finally {
			entrance.yourIp(null);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(latest(entrance).ip()).isEqualTo(BOX_IP));
	}

	@Test
	void shouldStoreItsOwnExchangeFields() {
		String key = TestRedis.keys(this.nodeId.value()).selfExchange();
		await().atMost(WAIT).untilAsserted(() -> {
			Map<String, String> fields = TestRedis.commands().hgetall(key);
			assertThat(fields).containsEntry("ID", this.nodeId.value())
				.containsEntry("TYPE", "BOX")
				.containsEntry("PORT", Integer.toString(this.port))
				.containsKeys("IP", "CONNECT_WS", "CPU-NUM", "CPU-IDLE", "MEM-AVAIL", "DISK-AVAIL", "UPLINK-MBPS");
		});
	}

	@Test
	void shouldKeepHeartbeatingWhileTheEntranceRestarts() {
		latest(entrance);
		entrance.stop();
		int before = entrance.received().size();
		int connections = entrance.connections();
		// Down for a few heartbeat periods: the box backs off but does not give up
		await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
		entrance.restart();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(entrance.received().size()).isGreaterThan(before + 2));
		assertThat(entrance.connections()).isGreaterThan(connections);
	}

	/** The latest heartbeat the entrance received, waiting for one. */
	static ExchangeRequest latest(TestEntrance entrance) {
		return await().atMost(WAIT).until(() -> {
			List<Received> received = entrance.received();
			return received.isEmpty() ? null : received.get(received.size() - 1).request();
		}, (request) -> request != null);
	}

	static <T> Map<T, Long> count(List<T> items) {
		return items.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

}
