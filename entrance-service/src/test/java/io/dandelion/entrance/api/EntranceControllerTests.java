package io.dandelion.entrance.api;

import java.util.Map;

import io.dandelion.protocol.testing.TestClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "entrance.security.admin-token=" + EntranceControllerTests.ADMIN_TOKEN)
@WithTestRedis
class EntranceControllerTests {

	static final String ADMIN_TOKEN = "entrance-controller-tests-token";

	private static final String ENTRANCES = "/dandelion/api/v1/entrances";

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private WebTestClient client;

	@Autowired
	private EntranceDirectory directory;

	@Autowired
	private MessageCodec codec;

	@Autowired
	private RedisKeys keys;

	@LocalServerPort
	private int port;

	@BeforeEach
	void connect() {
		this.client = TestClients.local(this.port)
			.mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
			.build();
	}

	@Test
	void shouldListItselfAndTheOthers() {
		String other = "http://127.0.0.1:21001/dandelion/ws/";
		put(other).expectStatus().isCreated();
		this.client.get()
			.uri(ENTRANCES)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.self.id")
			.isEqualTo(entrance.id().value())
			.jsonPath("$.self.ip")
			.isEqualTo("127.0.0.1")
			.jsonPath("$.self.port")
			.isEqualTo(this.port)
			.jsonPath("$.self.url")
			.isEqualTo("http://127.0.0.1:" + this.port + "/dandelion/ws/")
			.jsonPath("$.others[?(@.url == '" + other + "')].reachable")
			.isEqualTo(true)
			.jsonPath("$.others[?(@.url == '" + other + "')].lastReachable")
			.value((Object last) -> assertThat(last.toString()).matches(".*\\d{4}-\\d{2}-\\d{2}T.*Z.*"));
		delete(other).expectStatus().isNoContent();
	}

	@Test
	void shouldAnswerCreatedThenOkWhenAddingTheSameEntranceTwice() {
		String other = "wss://127.0.0.1:21002/dandelion/ws/";
		put(other).expectStatus().isCreated().expectBody().jsonPath("$.url").isEqualTo(other);
		put(other).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.url")
			.isEqualTo(other)
			.jsonPath("$.reachable")
			.isEqualTo(true);
		delete(other).expectStatus().isNoContent();
	}

	@Test
	void shouldAnswerBadRequestSayingWhatIsExpectedForAUrlThatIsNotAnEntranceUrl() {
		for (String url : new String[] { "ftp://127.0.0.1:21/dandelion/ws/", "http://127.0.0.1:21003/",
				"no url at all" }) {
			put(url).expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(400)
				.jsonPath("$.title")
				.isEqualTo("Invalid entrance URL")
				.jsonPath("$.detail")
				.value((String detail) -> assertThat(detail).contains("http://HOST:PORT/dandelion/ws/"))
				.jsonPath("$.instance")
				.isEqualTo(ENTRANCES);
		}
	}

	@Test
	void shouldAnswerBadRequestForABodyWithoutUrl() {
		this.client.put()
			.uri(ENTRANCES)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("http://HOST:PORT/dandelion/ws/"));
	}

	@Test
	void shouldAnswerBadRequestForItsOwnUrl() {
		put(this.directory.ownInfo().url()).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("own URL"));
	}

	@Test
	void shouldAnswerNoContentThenNotFoundWhenRemoving() {
		String other = "http://127.0.0.1:21004/dandelion/ws/";
		put(other).expectStatus().isCreated();
		delete(other).expectStatus().isNoContent().expectBody().isEmpty();
		delete(other).expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Unknown entrance")
			.jsonPath("$.url")
			.isEqualTo(other);
	}

	@Test
	void shouldAnswerBadRequestForARemovalWithoutUrl() {
		this.client.delete()
			.uri(ENTRANCES)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void shouldRefuseAddingOrRemovingWithoutTheAdminToken() {
		String other = "http://127.0.0.1:21006/dandelion/ws/";
		WebTestClient anonymous = TestClients.local(this.port);
		anonymous.put()
			.uri(ENTRANCES)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new EntranceUrlRequest(other))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("ENTRANCE_ADMIN_TOKEN"));
		anonymous.put()
			.uri(ENTRANCES)
			.header(HttpHeaders.AUTHORIZATION, "Bearer not-" + ADMIN_TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new EntranceUrlRequest(other))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		assertThat(this.directory.list().map((status) -> status.url()).collectList().block(TestClients.TIMEOUT))
			.doesNotContain(other);

		put(other).expectStatus().isCreated();
		anonymous.delete()
			.uri((builder) -> builder.path(ENTRANCES).queryParam("url", "{url}").build(other))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		delete(other).expectStatus().isNoContent();
	}

	@Test
	void shouldChangeWhatExchangeRepliesCarry() {
		String other = "http://127.0.0.1:21005/dandelion/ws/";
		String own = this.directory.ownInfo().url();
		put(other).expectStatus().isCreated();
		assertThat(exchange().entranceUrls()).startsWith(own).contains(other);
		delete(other).expectStatus().isNoContent();
		assertThat(exchange().entranceUrls()).startsWith(own).doesNotContain(other);
	}

	private ExchangeReply exchange() {
		String id = BoxControllerTests.boxId();
		ExchangeRequest heartbeat = ExchangeRequest.of(id, "127.0.3.9", 7070,
				"ws://127.0.3.9:7070/dandelion/" + id + "/ws/", BoxMetrics.NONE);
		return (ExchangeReply) this.codec.decode(new EntranceTestClient(this.port, null)
			.request(this.codec.encode(new TestCredentials(this.keys).sign(heartbeat))));
	}

	private WebTestClient.ResponseSpec put(String url) {
		return this.client.put()
			.uri(ENTRANCES)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new EntranceUrlRequest(url))
			.exchange();
	}

	private WebTestClient.ResponseSpec delete(String url) {
		return this.client.delete()
			.uri((builder) -> builder.path(ENTRANCES).queryParam("url", "{url}").build(url))
			.exchange();
	}

}
