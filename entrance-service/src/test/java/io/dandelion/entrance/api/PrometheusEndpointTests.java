package io.dandelion.entrance.api;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dandelion.protocol.testing.TestClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} shows the entrance's figures once there is something to
 * count: a heartbeat, a search, a refused message and an expired box. Tests export no
 * metrics unless asked: {@code @AutoConfigureObservability}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@WithTestRedis
class PrometheusEndpointTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private WebTestClient client;

	@BeforeEach
	void connect(@LocalServerPort int port) {
		this.client = TestClients.local(port);
	}

	@Autowired
	private BoxRepository boxes;

	@Autowired
	private MessageCodec codec;

	@Autowired
	private RedisKeys keys;

	@LocalServerPort
	private int port;

	@Test
	void shouldExposeTheEntranceFigures() {
		String id = BoxControllerTests.boxId();
		TestCredentials credentials = new TestCredentials(this.keys);
		new EntranceTestClient(this.port, null).request(this.codec.encode(credentials.sign(ExchangeRequest.of(id,
				"127.0.2.7", 7070, "ws://127.0.2.7:7070/dandelion/" + id + "/ws/", BoxMetrics.NONE))));
		new EntranceTestClient(this.port, null).request(this.codec.encode(
				credentials.sign(new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.3.1", null, null))));
		new EntranceTestClient(this.port, null).request("{not json");
		// Expired an hour ago: the sweeper drops it on its next run.
		this.boxes
			.save(BoxControllerTests.box(BoxMetrics.NONE), Instant.now().minusSeconds(3600), Duration.ofSeconds(1),
					"127.0.0.1")
			.block(Duration.ofSeconds(10));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String scrape = scrape();
			assertThat(value(scrape, "dandelion_entrance_boxes_live", "")).isEqualTo(1.0);
			assertThat(value(scrape, "dandelion_entrance_exchanges_total", "")).isEqualTo(1.0);
			assertThat(value(scrape, "dandelion_entrance_searches_total", "")).isEqualTo(1.0);
			assertThat(value(scrape, "dandelion_entrance_boxes_expired_total", "")).isEqualTo(1.0);
			assertThat(value(scrape, "dandelion_entrance_messages_rejected_total", "reason=\"INVALID_JSON\""))
				.isEqualTo(1.0);
		});
	}

	private String scrape() {
		return this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** The value of the first sample of the metric whose labels contain the text. */
	private static Double value(String scrape, String name, String label) {
		Matcher matcher = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(scrape);
		while (matcher.find()) {
			String labels = (matcher.group(1) != null) ? matcher.group(1) : "";
			if (labels.contains(label)) {
				return Double.valueOf(matcher.group(2));
			}
		}
		return null;
	}

}
