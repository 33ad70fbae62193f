package io.dandelion.entrance.dashboard;

import java.time.Duration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.probe.BoxProbes;
import io.dandelion.entrance.probe.DataPortServer;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's endpoints on a running entrance (strict mode, with an admin token): the
 * page and its libraries open to all and from the entrance itself, the data only with the
 * token, as a snapshot and as server-sent events, with the samples the application's own
 * job takes every second.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.security.admin-token=" + DashboardControllerTests.ADMIN_TOKEN,
				"entrance.dashboard.sample-period=1s" })
@WithTestRedis
class DashboardControllerTests {

	static final String ADMIN_TOKEN = "dashboard-controller-token";

	private static final String BEARER = "Bearer " + ADMIN_TOKEN;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@LocalServerPort
	private int port;

	@Autowired
	private MessageCodec codec;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private ObjectMapper objectMapper;

	@Autowired
	private BoxProbes probes;

	private WebTestClient client;

	@BeforeEach
	void connect() {
		this.client = TestClients.local(this.port);
	}

	@Test
	void shouldServeThePageAndItsLibrariesFromTheEntranceWithoutTheToken() {
		String page = this.client.get()
			.uri(DashboardController.PAGE_PATH)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("Content-Security-Policy", DashboardController.CONTENT_SECURITY_POLICY)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("/dandelion/dashboard/dashboard.js").doesNotContain("http://", "https://");
		for (String file : List.of("dashboard.js", "dashboard.css", "lib/uPlot.iife.min.js", "lib/uPlot.min.css",
				"lib/topojson-client.min.js", "lib/land-110m.json")) {
			this.client.get().uri("/dandelion/dashboard/" + file).exchange().expectStatus().isOk();
		}
		// Each library's licence travels with it
		for (String library : List.of("uplot", "topojson-client", "world-atlas")) {
			assertThat(new ClassPathResource("META-INF/licenses/" + library + "/LICENSE")).as(library)
				.satisfies((licence) -> assertThat(licence.exists()).isTrue());
		}
	}

	@Test
	void shouldRefuseTheDataWithoutTheAdminToken() {
		for (String path : List.of(DashboardController.SNAPSHOT_PATH, DashboardController.EVENTS_PATH)) {
			this.client.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
			this.client.get()
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer not-the-token")
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
	}

	@Test
	void shouldShowHeartbeatingBoxesWithWhatTheyServedOverTime() {
		String tokyo = NodeId.random(Role.BOX).value();
		String frankfurt = NodeId.random(Role.BOX).value();
		EntranceTestClient boxes = new EntranceTestClient(this.port, null);
		TestCredentials credentials = new TestCredentials(this.keys);
		// Heartbeats until the plots show what the boxes served between two samples
		JsonNode snapshot = await("a rate of bytes served by each box").atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				DashboardBoxes.heartbeat(boxes, credentials, this.codec, tokyo, "127.0.2.7", 10_000);
				DashboardBoxes.heartbeat(boxes, credentials, this.codec, frankfurt, "127.0.3.9", 2_000);
				return snapshot();
			}, (found) -> servedBetweenSamples(found, tokyo) && servedBetweenSamples(found, frankfurt));

		assertThat(snapshot.get("entranceId").asText()).isEqualTo(entrance.id().value());
		assertThat(snapshot.get("samplePeriodSeconds").asDouble()).isEqualTo(1.0);
		JsonNode row = row(snapshot, tokyo);
		assertThat(row.get("status").asText()).isEqualTo("live");
		assertThat(row.at("/box/geoip/city").asText()).isEqualTo("Tokyo");
		assertThat(row.at("/box/geoip/latitude").isNumber()).isTrue();
		assertThat(row.at("/box/system/uplinkMbps").asDouble()).isEqualTo(20.0);
		assertThat(row.at("/box/rank/score").isNumber()).isTrue();
		assertThat(row.at("/box/rank/reasons").has("bandwidth")).isTrue();
		assertThat(row.at("/box/traffic/bytes").asLong()).isGreaterThanOrEqualTo(10_000);
		// Not probed (the tests' probe period is an hour): blank, not zero
		assertThat(row.get("measured").isNull()).isTrue();

		JsonNode series = snapshot.get("series");
		int points = series.get("times").size();
		assertThat(points).isGreaterThanOrEqualTo(2);
		assertThat(series.get("liveBoxes").get(points - 1).asLong()).isEqualTo(2);
		List<Double> exchangesPerSecond = new ArrayList<>();
		series.get("exchangesPerSecond")
			.forEach((rate) -> exchangesPerSecond.add(rate.isNull() ? null : rate.asDouble()));
		assertThat(exchangesPerSecond).first().isNull();
		assertThat(exchangesPerSecond).anySatisfy((rate) -> assertThat(rate).isPositive());
		JsonNode tokyoBytes = series.at("/boxBytesPerSecond/" + tokyo);
		assertThat(tokyoBytes.size()).isEqualTo(points);
		// Before the box registered, and at its first sample, there is no rate
		assertThat(tokyoBytes.get(0).isNull()).isTrue();
	}

	@Test
	void shouldShowWhatTheProbesMeasuredAndTheBoxesTheySuspended() {
		EntranceTestClient boxes = new EntranceTestClient(this.port, null);
		TestCredentials credentials = new TestCredentials(this.keys);
		try (DataPortServer dataPort = new DataPortServer("127.0.4.7")) {
			String serving = NodeId.random(Role.BOX).value();
			// Nothing listens on 127.0.5.7: every probe of it fails
			String silent = NodeId.random(Role.BOX).value();
			DashboardBoxes.heartbeat(boxes, credentials, this.codec,
					DashboardBoxes.exchange(serving, dataPort.host()).withDataPort(dataPort.port()), 1_000);
			DashboardBoxes.heartbeat(boxes, credentials, this.codec,
					DashboardBoxes.exchange(silent, "127.0.5.7").withDataPort(dataPort.port()), 1_000);
			for (int round = 0; round < 3; round++) {
				// A box is probed once a period: a new round here is a new period
				TestRedis.commands().del(this.keys.probeLease(serving), this.keys.probeLease(silent));
				this.probes.probeAll().block(Duration.ofSeconds(30));
			}
			JsonNode snapshot = snapshot();
			JsonNode measured = row(snapshot, serving);
			assertThat(measured.get("status").asText()).isEqualTo("live");
			assertThat(measured.at("/measured/suspended").asBoolean()).isFalse();
			assertThat(measured.at("/measured/ttfbMillis").asDouble()).isPositive();
			assertThat(measured.at("/measured/throughputMbps").asDouble()).isPositive();
			JsonNode suspended = row(snapshot, silent);
			assertThat(suspended.get("status").asText()).isEqualTo("suspended");
			assertThat(suspended.at("/measured/suspended").asBoolean()).isTrue();
			assertThat(suspended.get("measured").has("ttfbMillis")).isFalse();
		}
	}

	@Test
	void shouldPushASnapshotThenUpdatesAsServerSentEvents() {
		List<ServerSentEvent<String>> events = this.client.get()
			.uri(DashboardController.EVENTS_PATH)
			.header(HttpHeaders.AUTHORIZATION, BEARER)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody()
			.take(3)
			.collectList()
			.block(Duration.ofSeconds(15));
		assertThat(events).extracting(ServerSentEvent::event).containsExactly("snapshot", "update", "update");
		JsonNode first = read(events.get(0).data());
		JsonNode last = read(events.get(2).data());
		assertThat(first.get("entranceId").asText()).isEqualTo(entrance.id().value());
		assertThat(last.get("boxes").isArray()).isTrue();
		// An update carries only the samples after those sent before
		JsonNode sentFirst = first.at("/series/times");
		double lastSent = sentFirst.isEmpty() ? 0 : sentFirst.get(sentFirst.size() - 1).asDouble();
		for (ServerSentEvent<String> update : events.subList(1, 3)) {
			read(update.data()).at("/series/times")
				.forEach((time) -> assertThat(time.asDouble()).isGreaterThan(lastSent));
		}
	}

	private JsonNode snapshot() {
		return read(this.client.get()
			.uri(DashboardController.SNAPSHOT_PATH)
			.header(HttpHeaders.AUTHORIZATION, BEARER)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private JsonNode read(String json) {
		try {
			return this.objectMapper.readTree(json);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean servedBetweenSamples(JsonNode snapshot, String boxId) {
		for (JsonNode rate : snapshot.at("/series/boxBytesPerSecond/" + boxId)) {
			if (!rate.isNull() && rate.asDouble() > 0) {
				return true;
			}
		}
		return false;
	}

	private static JsonNode row(JsonNode snapshot, String boxId) {
		for (JsonNode row : snapshot.get("boxes")) {
			if (row.at("/box/id").asText().equals(boxId)) {
				return row;
			}
		}
		throw new AssertionError(boxId + " is not in " + snapshot.get("boxes"));
	}

}
