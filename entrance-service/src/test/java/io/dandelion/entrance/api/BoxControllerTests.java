package io.dandelion.entrance.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.testing.TestClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

// Boxes here are listed by the figures they report from their first heartbeat on; how
// far those count for a new box is RegistrationLimitsTests' and BoxRankerTests' matter
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "entrance.ranking.claims-trusted-after=0s")
@WithTestRedis
class BoxControllerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

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
	private ObjectMapper objectMapper;

	@Autowired
	private RedisKeys keys;

	@LocalServerPort
	private int port;

	@Test
	void shouldListLiveBoxesBestFirstWithWhatTheyReported() throws Exception {
		// Through the WebSocket, as a box would: placed by the entrance, traffic counted.
		ExchangeRequest tokyo = ExchangeRequest
			.of(boxId(), "127.0.2.7", 7070, "ws://127.0.2.7:7070/dandelion/ws/", metrics(97.5, 100.0, 90.0))
			.withTraffic(List.of(new TrafficEntry("log-1", "/publisher-x/a.ts", 200, 1000, null),
					new TrafficEntry("log-2", "/publisher-x/b.ts", 206, 500, null),
					new TrafficEntry("log-3", "/publisher-x/c.ts", 404, 10, null)));
		ExchangeReply reply = (ExchangeReply) this.codec.decode(new EntranceTestClient(this.port, null)
			.request(this.codec.encode(new TestCredentials(this.keys).sign(tokyo))));
		assertThat(reply.accepted()).isTrue();
		String busy = save(box(metrics(2.0, 100.0, 1.0)), Instant.now());
		String idle = save(box(metrics(99.0, 100.0, 95.0)), Instant.now());

		List<JsonNode> listed = list();
		List<String> ids = listed.stream().map((box) -> box.get("id").asText()).toList();
		assertThat(ids).contains(tokyo.id(), busy, idle);
		assertThat(ids.indexOf(busy)).isGreaterThan(ids.indexOf(idle));
		List<Double> scores = listed.stream().map((box) -> box.at("/rank/score").asDouble()).toList();
		assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));

		JsonNode box = listed.get(ids.indexOf(tokyo.id()));
		assertThat(box.get("ip").asText()).isEqualTo("127.0.2.7");
		assertThat(box.get("port").asInt()).isEqualTo(7070);
		assertThat(box.get("connectWs").asText()).isEqualTo("ws://127.0.2.7:7070/dandelion/ws/");
		assertThat(box.at("/geoip/city").asText()).isEqualTo("Tokyo");
		assertThat(box.at("/geoip/country").asText()).isEqualTo("JP");
		assertThat(box.at("/geoip/latitude").isNumber()).isTrue();
		assertThat(box.at("/system/cpuIdle").asDouble()).isEqualTo(97.5);
		assertThat(box.at("/system/diskAvailableGib").asDouble()).isEqualTo(90.0);
		assertThat(box.at("/system/memoryTotalKib").asLong()).isEqualTo(947732L);
		// Figures the box did not report are left out, not null.
		assertThat(box.get("system").has("cpuNice")).isFalse();
		assertThat(Instant.parse(box.get("lastSeen").asText())).isBefore(Instant.parse(box.get("expiresAt").asText()));
		assertThat(box.get("seenFrom").asText()).isEqualTo("127.0.0.1");
		assertThat(box.at("/traffic/bytes").asLong()).isEqualTo(1510);
		assertThat(box.at("/traffic/requests").asLong()).isEqualTo(3);
		assertThat(this.objectMapper.convertValue(box.at("/traffic/byStatusClass"), Map.class))
			.isEqualTo(Map.of("2xx", 2, "4xx", 1));
		// Listed for nobody in particular: distance is left out
		assertThat(box.at("/rank/reasons").fieldNames()).toIterable()
			.containsExactly("storage", "bandwidth", "cpu", "freshness");
	}

	@Test
	void shouldShowOneLiveBox() {
		String id = save(box(metrics(80.0, 100.0, 50.0)), Instant.now());
		this.client.get()
			.uri("/dandelion/api/v1/boxes/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(id)
			.jsonPath("$.geoip.city")
			.isEqualTo("Frankfurt")
			.jsonPath("$.traffic.requests")
			.isEqualTo(0)
			.jsonPath("$.traffic.byStatusClass")
			.isEmpty()
			.jsonPath("$.rank.score")
			.isNumber()
			.jsonPath("$.rank.reasons.cpu")
			.isEqualTo(0.8);
	}

	@Test
	void shouldAnswerNotFoundForAnUnknownBox() {
		String id = boxId();
		this.client.get()
			.uri("/dandelion/api/v1/boxes/{id}", id)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.title")
			.isEqualTo("Unknown box")
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains(id))
			.jsonPath("$.boxId")
			.isEqualTo(id)
			.jsonPath("$.instance")
			.isEqualTo("/dandelion/api/v1/boxes/" + id);
	}

	@Test
	void shouldAnswerNotFoundForAnExpiredBox() {
		// Heard from an hour ago with a one-second expiry: the sweeper may or may not
		// have dropped it yet, and either way it is gone.
		String id = save(box(metrics(99.0, 100.0, 95.0)), Instant.now().minusSeconds(3600), Duration.ofSeconds(1));
		this.client.get()
			.uri("/dandelion/api/v1/boxes/{id}", id)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(list()).noneMatch((box) -> box.get("id").asText().equals(id));
	}

	@Test
	void shouldAnswerBadRequestForSomethingThatIsNotABoxId() {
		for (String id : List.of("nope", NodeId.random(Role.ENTRANCE).value(), "box-3F2A")) {
			this.client.get()
				.uri("/dandelion/api/v1/boxes/{id}", id)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title")
				.isEqualTo("Invalid box ID")
				.jsonPath("$.detail")
				.value((String detail) -> assertThat(detail).contains("'box-' and 32 lowercase hex digits"));
		}
	}

	private List<JsonNode> list() {
		byte[] body = this.client.get()
			.uri("/dandelion/api/v1/boxes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		List<JsonNode> boxes = new ArrayList<>();
		try {
			this.objectMapper.readTree(body).forEach(boxes::add);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return boxes;
	}

	private String save(ExchangeRequest box, Instant now) {
		return save(box, now, Duration.ofMinutes(2));
	}

	private String save(ExchangeRequest box, Instant now, Duration expireTime) {
		return this.boxes.save(box, now, expireTime, "127.0.0.1").block(TIMEOUT).id();
	}

	static String boxId() {
		return NodeId.random(Role.BOX).value();
	}

	/** A box in Frankfurt, located as the entrance would have. */
	static ExchangeRequest box(BoxMetrics metrics) {
		String id = boxId();
		return ExchangeRequest.of(id, "127.0.3.9", 7070, "ws://127.0.3.9:7070/dandelion/" + id + "/ws/", metrics)
			.withGeoip(new GeoLocation("127.0.3.9", null, "DE", "Frankfurt", null, null, 50.1109, 8.6821));
	}

	static BoxMetrics metrics(double cpuIdle, double diskTotalGib, double diskAvailableGib) {
		return new BoxMetrics(1200.0, 4, 1.0, 0.5, null, cpuIdle, 0.0, 0.0, 0.1, 0.0, 0.01, 0.05, 947732L, 512000L,
				diskTotalGib, diskAvailableGib, 20.0, 131072L, null, null, null, null);
	}

}
