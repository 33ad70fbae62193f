package io.dandelion.publisher.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.PrometheusScrape;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} shows the publisher's figures, scraped over HTTP: a
 * publisher whose only entrance is down and that knows no box, so that uploads wait in
 * the queue one at a time and fail, SEARCHes fail, and files it knows are on no live box.
 * Tests export no metrics unless asked: {@code @AutoConfigureObservability}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "publisher.base-directory=target/test-publisher-metrics", "dandelion.security.mode=strict",
				"publisher.security.api-token=" + PrometheusEndpointTests.TOKEN,
				"publisher.origin-base-url=https://origin.test/media/",
				// Nothing listens on the discard port of loopback
				"publisher.entrance-urls[0]=ws://127.0.0.1:9/dandelion/ws/", "publisher.ping-entrance-freq=200ms",
				"publisher.publish.concurrency=1", "publisher.publish.max-wait=3s",
				"publisher.publish.queue-sample-period=100ms" })
@AutoConfigureObservability
@WithTestRedis
class PrometheusEndpointTests {

	static final String TOKEN = "the-metrics-test-token";

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@AfterAll
	static void deleteKeys() throws Exception {
		Path id = Path.of("target/test-publisher-metrics/publisher-id.txt");
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(Files.readString(id).strip()).prefix());
	}

	@Test
	void shouldCountFilesThatFindNoBox() {
		PrometheusScrape before = PrometheusScrape.of(this.port);
		double failedBefore = before.value("dandelion_publisher_files_total", "outcome=\"failed\"");
		assertThat(before.value("dandelion_publisher_files_total", "outcome=\"stored\"")).isZero();
		assertThat(before.value("dandelion_publisher_copies_total", "outcome=\"stored\"")).isZero();
		WebTestClient client = TestClients.local(this.port);
		// One file is sent at a time: while the first waits for a box, the second waits
		// in the queue
		upload(client, "/metrics/" + UUID.randomUUID() + ".txt");
		upload(client, "/metrics/" + UUID.randomUUID() + ".txt");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(PrometheusScrape.of(this.port).value("dandelion_publisher_queue_length"))
				.isEqualTo(1.0));
		await().atMost(WAIT).untilAsserted(() -> {
			PrometheusScrape scrape = PrometheusScrape.of(this.port);
			assertThat(scrape.value("dandelion_publisher_files_total", "outcome=\"failed\""))
				.isEqualTo(failedBefore + 2);
			assertThat(scrape.value("dandelion_publisher_queue_length")).isZero();
		});
		PrometheusScrape after = PrometheusScrape.of(this.port);
		assertThat(after.value("dandelion_publisher_files_total", "outcome=\"stored\"")).isZero();
		assertThat(after.value("dandelion_publisher_files_total", "outcome=\"partly_stored\"")).isZero();
		// No box to send to: no copy was sent
		assertThat(after.value("dandelion_publisher_copies_total", "outcome=\"failed\"")).isZero();
		assertThat(after.value("dandelion_publisher_boxes_known")).isZero();
		assertThat(after.value("dandelion_publisher_boxes_ready")).isZero();
	}

	@Test
	void shouldCountFailedSearches() {
		await().atMost(WAIT).untilAsserted(() -> {
			PrometheusScrape scrape = PrometheusScrape.of(this.port);
			assertThat(scrape.value("dandelion_publisher_searches_total", "outcome=\"failed\"")).isGreaterThan(2);
			assertThat(scrape.value("dandelion_publisher_searches_total", "outcome=\"answered\"")).isZero();
			assertThat(scrape.value("dandelion_publisher_searches_total", "outcome=\"refused\"")).isZero();
		});
	}

	@Test
	void shouldCountKnownFilesOnNoLiveBoxAndTheirRedirectsToTheOrigin() {
		PrometheusScrape before = PrometheusScrape.of(this.port);
		double underReplicated = before.value("dandelion_publisher_files_under_replicated");
		double toOrigin = before.value("dandelion_publisher_redirects_total", "outcome=\"origin\"");
		WebTestClient client = TestClients.local(this.port);
		for (int i = 0; i < 2; i++) {
			client.get().uri("/r" + storedOnNoBox()).exchange().expectStatus().isFound();
		}
		PrometheusScrape after = PrometheusScrape.of(this.port);
		assertThat(after.value("dandelion_publisher_files_under_replicated")).isEqualTo(underReplicated + 2);
		assertThat(after.value("dandelion_publisher_redirects_total", "outcome=\"origin\"")).isEqualTo(toOrigin + 2);
	}

	private static void upload(WebTestClient client, String name) {
		client.put()
			.uri("/api/v1/files" + name + "?ttl=60")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.bodyValue(name.getBytes())
			.exchange()
			.expectStatus()
			.isAccepted();
	}

	/** A file the publisher stored, whose every box has been lost since. */
	private String storedOnNoBox() {
		String name = "/lost/" + UUID.randomUUID() + ".mp4";
		TestRedis.commands()
			.hset(this.keys.fileState(name), Map.of("STATE", "STORED", "SHA256", "a".repeat(64), "SIZE", "3"));
		return name;
	}

}
