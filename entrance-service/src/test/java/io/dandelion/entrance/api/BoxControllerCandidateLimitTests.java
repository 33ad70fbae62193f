package io.dandelion.entrance.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dandelion.protocol.testing.TestClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The box listing reads no more boxes than a SEARCH ranks
 * ({@code entrance.max-search-candidates}), the most recently heard from.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "entrance.max-search-candidates=2")
@WithTestRedis
class BoxControllerCandidateLimitTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private WebTestClient client;

	@BeforeEach
	void connect(@LocalServerPort int port) {
		this.client = TestClients.local(port);
	}

	@Autowired
	private BoxRepository boxes;

	@Test
	void shouldListNoMoreThanTheCandidateLimit() {
		Instant now = Instant.now();
		String oldest = save(now.minusSeconds(3));
		String middle = save(now.minusSeconds(2));
		String newest = save(now.minusSeconds(1));
		List<String> ids = this.client.get()
			.uri("/dandelion/api/v1/boxes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBodyList(BoxResponse.class)
			.returnResult()
			.getResponseBody()
			.stream()
			.map(BoxResponse::id)
			.toList();
		assertThat(ids).containsExactlyInAnyOrder(middle, newest).doesNotContain(oldest);
	}

	private String save(Instant seen) {
		ExchangeRequest box = BoxControllerTests.box(BoxControllerTests.metrics(90.0, 100.0, 50.0));
		return this.boxes.save(box, seen, Duration.ofMinutes(2), "127.0.0.1").block(Duration.ofSeconds(10)).id();
	}

}
