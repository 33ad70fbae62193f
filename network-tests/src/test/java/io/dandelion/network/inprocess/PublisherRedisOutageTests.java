package io.dandelion.network.inprocess;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.protocol.testing.StoppableRedis;
import io.dandelion.network.inprocess.TestNetwork.Box;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.dandelion.protocol.testing.UnavailableResponses.assertUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publisher while its own Redis is unavailable, in a real network (the entrance and the
 * box on the shared test Redis, the publisher on one this test stops): viewers are still
 * sent to the box for a file the publisher knew, to the publisher's own copy for a live
 * segment, and everything else is answered 503 with {@code Retry-After}, all within a few
 * seconds; once Redis is back the publisher serves again by itself.
 */
@WithTestNetwork
class PublisherRedisOutageTests {

	/** An answer must come within this while Redis is unavailable. */
	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String TOKYO = "127.0.2.10";

	@TempDir
	Path home;

	private TestNetwork network;

	private StoppableRedis redis;

	@BeforeEach
	void startRedis() {
		this.redis = StoppableRedis.start();
	}

	@AfterEach
	void stopRedis() {
		this.redis.close();
	}

	@Test
	void shouldSendViewersToWhatItKnowsAndAnswerTheRestAtOnceWhileRedisIsDown() {
		Box box = this.network.startBox(TOKYO);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"spring.data.redis.url=" + this.redis.url());
		WebTestClient client = TestNetwork.client(publisher);
		await("the box ready in the publisher's pool").atMost(WAIT)
			.until(() -> "READY".equals(TestNetwork.box(client, box.id()).get("connection")));
		upload(client, "/videos/intro.mp4").expectStatus().isAccepted();
		await("the upload stored").atMost(WAIT)
			.until(() -> "stored".equals(TestNetwork.describe(client, "/videos/intro.mp4").get("state")));

		this.redis.stop();
		WebTestClient impatient = client.mutate().responseTimeout(ANSWER_WITHIN).build();

		URI toBox = redirect(impatient, "/videos/intro.mp4");
		assertThat(toBox.getHost()).isEqualTo(TOKYO);
		assertThat(toBox.getPort()).isEqualTo(box.dataPort());
		assertThat(toBox.getPath()).endsWith("/videos/intro.mp4");
		assertThat(redirect(impatient, "/live/demo/7.ts")).hasToString("/origin/demo/7.ts");
		assertUnavailable(impatient.get().uri("/r/videos/never-published.mp4").exchange());
		assertUnavailable(upload(impatient, "/videos/during-outage.mp4"));
		impatient.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.components.redis.status")
			.isEqualTo("DOWN");

		// The pool lives in memory: its box stays ready through several SEARCH rounds
		await("the box staying ready").during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> "READY".equals(TestNetwork.box(impatient, box.id()).get("connection")));

		this.redis.startAgain();
		await("uploads accepted again").atMost(WAIT)
			.ignoreExceptions()
			.until(() -> upload(client, "/videos/after-outage.mp4").returnResult(Void.class)
				.getStatus()
				.isSameCodeAs(HttpStatus.ACCEPTED));
		await("the new upload stored").atMost(WAIT)
			.until(() -> "stored".equals(TestNetwork.describe(client, "/videos/after-outage.mp4").get("state")));
		assertThat(redirect(client, "/videos/after-outage.mp4").getHost()).isEqualTo(TOKYO);
	}

	private static WebTestClient.ResponseSpec upload(WebTestClient client, String name) {
		return client.put()
			.uri("/api/v1/files" + name + "?ttl=120")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(("the content of " + name).getBytes(StandardCharsets.UTF_8))
			.exchange();
	}

	private static URI redirect(WebTestClient client, String name) {
		return client.get()
			.uri("/r" + name)
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
	}

}
