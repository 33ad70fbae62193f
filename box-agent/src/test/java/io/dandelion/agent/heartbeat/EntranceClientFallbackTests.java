package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.util.List;

import io.dandelion.agent.heartbeat.TestEntrance.Received;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats to an entrance of the original kind (no {@code dandelion.v2}: one reply per
 * connection), from a box behind a TLS proxy with a configured public IP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
@DirtiesContext
class EntranceClientFallbackTests {

	static final TestEntrance entrance = TestEntrance.start(false);

	@Autowired
	NodeId nodeId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		EntranceClientTests.fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", entrance::url);
		registry.add("box.server-proxy-port", () -> "7443");
		registry.add("box.client-ip", () -> "198.51.100.7");
	}

	@AfterAll
	static void stopEntrance() {
		entrance.close();
	}

	@Test
	void shouldOpenOneConnectionPerHeartbeat() {
		await().atMost(EntranceClientTests.WAIT).until(() -> entrance.received().size() >= 3);
		List<Integer> connections = entrance.received().stream().map(Received::connection).toList();
		assertThat(connections).doesNotHaveDuplicates();
	}

	@Test
	void shouldAdvertiseTheProxyAndTheConfiguredAddress() {
		ExchangeRequest request = EntranceClientTests.latest(entrance);
		assertThat(request.ip()).isEqualTo("198.51.100.7");
		assertThat(request.port()).isEqualTo(7443);
		assertThat(request.connectWs())
			.isEqualTo("https://198.51.100.7:7443/dandelion/" + this.nodeId.value() + "/ws/");
	}

}
