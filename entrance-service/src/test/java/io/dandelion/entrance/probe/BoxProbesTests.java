package io.dandelion.entrance.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.probe.DataPortServer.Mode;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entrance's dial-back probes against real HTTP servers on loopback addresses, one
 * per box, each its own network: the figures a probe measures land in Redis and in SEARCH
 * replies' {@code RANK_REASONS}; one failed probe suspends nobody; three in a row suspend
 * a box (left out of SEARCH) and two successes in a row reinstate it; a box suspended too
 * long is dropped and comes back suspended. Each test runs the rounds itself, so that it
 * knows how many ran (the background job's first round is an hour away), and clears the
 * boxes' leases before each round, as a new period would.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.probe.timeout=500ms", "entrance.probe.suspend-after=3",
				"entrance.probe.reinstate-after=2" })
@WithTestRedis
class BoxProbesTests {

	private static int nextNetwork = 20;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	private final List<DataPortServer> servers = new ArrayList<>();

	private final List<String> boxIds = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private BoxProbes probes;

	@Autowired
	private ProbeRepository repository;

	private TestCredentials credentials;

	@BeforeEach
	void createCredentials() {
		this.credentials = new TestCredentials(this.keys);
	}

	@AfterEach
	void stopServers() {
		this.servers.forEach(DataPortServer::close);
	}

	@Test
	void shouldRecordTheFiguresOfABoxServingTheProbeObjectAndNameThemInRankReasons() {
		DataPortServer server = server();
		String boxId = register(server);
		round();
		Map<String, String> probe = probeHash(boxId);
		assertThat(probe).containsEntry("state", "healthy")
			.containsEntry("failures", "0")
			.containsEntry("successes", "1")
			.containsKeys("checked-at", "succeeded-at")
			.doesNotContainKey("problem");
		assertThat(Double.parseDouble(probe.get("ttfb-ms"))).isPositive().isLessThan(500);
		assertThat(Double.parseDouble(probe.get("mbps"))).isPositive();
		assertThat(server.requests()).isEqualTo(1);
		Map<String, Double> reasons = search().boxSet().get(boxId).rankReasons();
		assertThat(reasons).containsKeys("distance", "storage", "bandwidth", "cpu", "freshness", "ttfb", "throughput");
		assertThat(reasons.get("measured_ttfb_ms")).isEqualTo(oneDecimal(Double.parseDouble(probe.get("ttfb-ms"))));
		assertThat(reasons.get("measured_mbps")).isEqualTo(oneDecimal(Double.parseDouble(probe.get("mbps"))));
	}

	@Test
	void shouldProbeEachBoxOncePerPeriodWhateverTheRounds() {
		DataPortServer server = server();
		register(server);
		round();
		// A second round in the same period, as another entrance process sharing the
		// ID and Redis would run it: the lease is taken
		this.probes.probeAll().block(Duration.ofSeconds(10));
		assertThat(server.requests()).isEqualTo(1);
	}

	@Test
	void shouldNotSuspendABoxForOneFailedProbe() {
		DataPortServer server = server();
		String boxId = register(server);
		round();
		server.mode(Mode.SILENT);
		round();
		assertThat(probeHash(boxId)).containsEntry("state", "healthy")
			.containsEntry("failures", "1")
			.containsEntry("problem", "no whole answer within 500 ms");
		assertThat(search().boxSet()).containsKey(boxId);
		server.mode(Mode.SERVING);
		round();
		assertThat(probeHash(boxId)).containsEntry("failures", "0").doesNotContainKey("problem");
		assertThat(isSuspended(boxId)).isFalse();
	}

	@Test
	void shouldSuspendABoxAfterThreeFailedProbesAndReinstateItAfterTwoSuccesses() {
		DataPortServer server = server();
		String boxId = register(server);
		server.mode(Mode.SILENT);
		round();
		round();
		assertThat(search().boxSet()).containsKey(boxId);
		assertThat(isSuspended(boxId)).isFalse();
		round();
		assertThat(probeHash(boxId)).containsEntry("state", "suspended").containsEntry("failures", "3");
		assertThat(isSuspended(boxId)).isTrue();
		assertThat(search().boxSet()).doesNotContainKey(boxId);
		// Still registered: suspended, not dropped
		assertThat(TestRedis.commands().zscore(this.keys.boxSet(), boxId)).isNotNull();

		server.mode(Mode.SERVING);
		round();
		assertThat(probeHash(boxId)).containsEntry("state", "suspended").containsEntry("successes", "1");
		assertThat(search().boxSet()).doesNotContainKey(boxId);
		round();
		assertThat(probeHash(boxId)).containsEntry("state", "healthy").doesNotContainKey("suspended-at");
		assertThat(isSuspended(boxId)).isFalse();
		assertThat(search().boxSet()).containsKey(boxId);
	}

	@Test
	void shouldCountAServerErrorAndAClosedPortAsFailuresAndAnAnswerWithoutTheObjectAsReachable() {
		DataPortServer failing = server();
		String failingBox = register(failing);
		failing.mode(Mode.FAILING);
		DataPortServer original = server();
		String originalBox = register(original);
		original.mode(Mode.NOT_FOUND);
		String closedBox = register(nextAddress(), closedPort());
		round();
		assertThat(probeHash(failingBox)).containsEntry("failures", "1").containsEntry("problem", "answered 500");
		assertThat(probeHash(closedBox)).containsEntry("failures", "1");
		assertThat(probeHash(closedBox).get("problem")).containsIgnoringCase("refused");
		Map<String, String> reachable = probeHash(originalBox);
		assertThat(reachable).containsEntry("failures", "0").containsKey("ttfb-ms").doesNotContainKey("mbps");
		Map<String, Double> reasons = search().boxSet().get(originalBox).rankReasons();
		assertThat(reasons).containsKeys("ttfb", "measured_ttfb_ms").doesNotContainKeys("throughput", "measured_mbps");
	}

	@Test
	void shouldDropABoxSuspendedTooLongWhichComesBackSuspended() {
		DataPortServer server = server();
		server.mode(Mode.SILENT);
		String boxId = register(server);
		round();
		round();
		round();
		assertThat(isSuspended(boxId)).isTrue();
		// As the round does once drop-after has passed
		assertThat(this.repository.dropSuspended(Instant.now().plusSeconds(1), 1000).collectList().block())
			.contains(boxId);
		assertThat(TestRedis.commands().zscore(this.keys.boxSet(), boxId)).isNull();
		assertThat(TestRedis.commands().exists(this.keys.exchange(boxId))).isZero();
		assertThat(isSuspended(boxId)).isFalse();

		// Its next heartbeat registers it again, still suspended
		register(boxId, server);
		assertThat(search().boxSet()).doesNotContainKey(boxId);
		round();
		assertThat(isSuspended(boxId)).isTrue();
		assertThat(search().boxSet()).doesNotContainKey(boxId);
	}

	private DataPortServer server() {
		DataPortServer server = new DataPortServer(nextAddress());
		this.servers.add(server);
		return server;
	}

	/**
	 * A loopback address of a /24 of its own, so that the per-network caps never bite.
	 */
	private static synchronized String nextAddress() {
		return "127.0." + (nextNetwork++) + ".1";
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String register(DataPortServer server) {
		return register(server.host(), server.port());
	}

	private String register(String ip, int dataPort) {
		return register(NodeId.random(Role.BOX).value(), ip, dataPort);
	}

	private String register(String boxId, DataPortServer server) {
		return register(boxId, server.host(), server.port());
	}

	private String register(String boxId, String ip, int dataPort) {
		ExchangeRequest exchange = ExchangeRequest
			.of(boxId, ip, 7071, "ws://" + ip + ":7071/dandelion/" + boxId + "/ws/", BoxMetrics.NONE)
			.withDataPort(dataPort);
		List<String> replies = new EntranceTestClient(this.port, null)
			.send(false, 1, this.codec.encode(this.credentials.sign(exchange)))
			.replies();
		Message reply = this.codec.decode(replies.get(0));
		assertThat(reply).isNotInstanceOf(ErrorReply.class);
		this.boxIds.add(boxId);
		return boxId;
	}

	/** One round of probes in a new period: every box's lease gone. */
	private void round() {
		this.boxIds.forEach((boxId) -> TestRedis.commands().del(this.keys.probeLease(boxId)));
		this.probes.probeAll().block(Duration.ofSeconds(10));
	}

	private SearchReply search() {
		SearchRequest request = this.credentials
			.sign(new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.2.50", null, null));
		List<String> replies = new EntranceTestClient(this.port, null).send(false, 1, this.codec.encode(request))
			.replies();
		return (SearchReply) this.codec.decode(replies.get(0));
	}

	private Map<String, String> probeHash(String boxId) {
		return TestRedis.commands().hgetall(this.keys.probe(boxId));
	}

	private boolean isSuspended(String boxId) {
		return TestRedis.commands().zscore(this.keys.suspendedBoxes(), boxId) != null;
	}

	private static double oneDecimal(double figure) {
		return Math.round(figure * 10) / 10.0;
	}

}
