package io.dandelion.publisher.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redirect route answers as the file API does: a 302 to the origin when no live box
 * holds a file, Problem Details for a bad name or an unknown file, and a JSON list for
 * {@code ?format=json}. It is counted by outcome and left out of the request timer, which
 * still times the rest of the API.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "publisher.base-directory=target/test-redirect-handler",
				"publisher.origin-base-url=https://origin.test/media/" })
@WithTestRedis
class RedirectHandlerTests {

	@Autowired
	private RedisKeys keys;

	@Autowired
	private MeterRegistry meters;

	private WebTestClient client;

	@AfterAll
	static void deleteKeys() throws Exception {
		Path id = Path.of("target/test-redirect-handler/publisher-id.txt");
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(Files.readString(id).strip()).prefix());
	}

	@BeforeEach
	void connect(@LocalServerPort int port) {
		this.client = TestClients.local(port);
	}

	@Test
	void shouldSendViewersToTheOriginWhenNoLiveBoxHoldsAFile() {
		String name = storedOnNoBox();
		double before = redirects("origin");

		this.client.get()
			.uri("/r" + name)
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "https://origin.test/media" + name);
		// As the annotated controllers answered it: curl -I and health checks send HEAD
		this.client.head()
			.uri("/r" + name)
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "https://origin.test/media" + name);
		this.client.get()
			.uri("/r" + name + "?format=json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.filePath")
			.isEqualTo(name)
			.jsonPath("$.urls")
			.isEmpty();

		assertThat(redirects("origin")).isEqualTo(before + 2);
	}

	@Test
	void shouldAnswerProblemDetailsForAnUnknownFileOrABadName() {
		double before = redirects("error");
		String unknown = "/unknown/" + UUID.randomUUID() + ".ts";

		this.client.get()
			.uri("/r" + unknown)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.instance")
			.isEqualTo("/r" + unknown);
		this.client.get()
			.uri("/r/a/%2E%2E/b.ts")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400);

		assertThat(redirects("error")).isEqualTo(before + 2);
	}

	@Test
	void shouldCountRedirectsWithoutTimingThem() {
		this.client.get().uri("/r" + storedOnNoBox()).exchange().expectStatus().isFound();
		this.client.get().uri("/api/v1/files" + storedOnNoBox()).exchange().expectStatus().isOk();

		Search timed = this.meters.find("http.server.requests");
		assertThat(timed.timers()).extracting((timer) -> timer.getId().getTag("uri"))
			.contains("/api/v1/files/{*path}")
			.noneMatch((uri) -> uri.startsWith("/r/"));
	}

	/** A file the publisher stored, whose every box has been lost since. */
	private String storedOnNoBox() {
		String name = "/lost/" + UUID.randomUUID() + ".mp4";
		TestRedis.commands()
			.hset(this.keys.fileState(name), Map.of("STATE", "STORED", "SHA256", "a".repeat(64), "SIZE", "3"));
		return name;
	}

	private double redirects(String outcome) {
		return this.meters.get(RedirectHandler.REDIRECTS).tag("outcome", outcome).counter().count();
	}

}
