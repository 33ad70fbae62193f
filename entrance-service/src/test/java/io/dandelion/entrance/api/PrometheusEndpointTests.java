package io.dandelion.entrance.api;

import java.time.Duration;
import java.time.Instant;

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
import io.dandelion.protocol.testing.PrometheusScrape;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} shows the entrance's figures once there is something to
 * count: heartbeats stored, rate-limited and refused for their proof, a search, a message
 * that is no JSON and an expired box, each counted exactly once. Tests export no metrics
 * unless asked: {@code @AutoConfigureObservability}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "entrance.registration.max-exchanges-per-minute=2")
@AutoConfigureObservability
@WithTestRedis
class PrometheusEndpointTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

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
		PrometheusScrape scrapeBefore = PrometheusScrape.of(this.port);
		assertThat(scrapeBefore.value("dandelion_entrance_exchanges_total", "outcome=\"stored\"")).isZero();
		assertThat(scrapeBefore.value("dandelion_entrance_exchanges_total", "outcome=\"RATE_LIMITED\"")).isZero();
		assertThat(scrapeBefore.value("dandelion_entrance_searches_total", "outcome=\"UNAVAILABLE\"")).isZero();
		String id = BoxControllerTests.boxId();
		TestCredentials credentials = new TestCredentials(this.keys);
		ExchangeRequest heartbeat = ExchangeRequest.of(id, "127.0.2.7", 7070,
				"ws://127.0.2.7:7070/dandelion/" + id + "/ws/", BoxMetrics.NONE);
		// Two within the limit of two a minute, the third over it
		for (int i = 0; i < 3; i++) {
			request(this.codec.encode(credentials.sign(heartbeat)));
		}
		// Strict mode: a heartbeat without proof is refused
		String unsigned = BoxControllerTests.boxId();
		request(this.codec.encode(ExchangeRequest.of(unsigned, "127.0.2.8", 7070,
				"ws://127.0.2.8:7070/dandelion/" + unsigned + "/ws/", BoxMetrics.NONE)));
		request(this.codec.encode(
				credentials.sign(new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.3.1", null, null))));
		request("{not json");
		// Expired an hour ago: the sweeper drops it on its next run.
		this.boxes
			.save(BoxControllerTests.box(BoxMetrics.NONE), Instant.now().minusSeconds(3600), Duration.ofSeconds(1),
					"127.0.0.1")
			.block(Duration.ofSeconds(10));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			PrometheusScrape scrape = PrometheusScrape.of(this.port);
			assertThat(scrape.value("dandelion_entrance_boxes_live", "")).isEqualTo(1.0);
			assertThat(scrape.value("dandelion_entrance_boxes_expired_total", "")).isEqualTo(1.0);
			assertThat(scrape.value("dandelion_entrance_exchanges_total", "outcome=\"stored\"")).isEqualTo(2.0);
			assertThat(scrape.value("dandelion_entrance_exchanges_total", "outcome=\"RATE_LIMITED\"")).isEqualTo(1.0);
			assertThat(scrape.value("dandelion_entrance_exchanges_total", "outcome=\"UNAUTHENTICATED\""))
				.isEqualTo(1.0);
			assertThat(scrape.value("dandelion_entrance_searches_total", "outcome=\"answered\"")).isEqualTo(1.0);
			assertThat(scrape.value("dandelion_entrance_searches_total", "outcome=\"UNAUTHENTICATED\"")).isZero();
			assertThat(scrape.value("dandelion_entrance_reports_total", "outcome=\"accepted\"")).isZero();
			assertThat(scrape.value("dandelion_entrance_messages_rejected_total", "reason=\"INVALID_JSON\""))
				.isEqualTo(1.0);
			// Every refusal, whatever the request
			assertThat(scrape.value("dandelion_entrance_messages_rejected_total", "reason=\"UNAUTHENTICATED\""))
				.isEqualTo(1.0);
			assertThat(scrape.value("dandelion_entrance_messages_rejected_total", "reason=\"RATE_LIMITED\""))
				.isEqualTo(1.0);
		});
	}

	private void request(String text) {
		new EntranceTestClient(this.port, null).request(text);
	}

}
