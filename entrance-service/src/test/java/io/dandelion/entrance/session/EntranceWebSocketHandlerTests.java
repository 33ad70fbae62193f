package io.dandelion.entrance.session;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.CloseStatus;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.EntranceTestClient.Conversation;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EXCHANGE over a real WebSocket against a real Redis: the original's entrance tests
 * rewritten, plus hostile input. The original's boxes sign nothing, so the entrance runs
 * in compatible mode here (the trust tests cover strict mode).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dandelion.security.mode=compatible",
				"entrance.other-urls[0]=https://127.0.9.2:7070/dandelion/ws/",
				"entrance.other-urls[1]=https://127.0.9.3:7070/dandelion/ws/",
				"entrance.other-urls[2]=http://127.0.9.4:7071/dandelion/ws/" })
@WithTestRedis
class EntranceWebSocketHandlerTests {

	private static final ObjectMapper json = new ObjectMapper();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId entranceId;

	@Autowired
	private RedisKeys keys;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private static ExchangeRequest exchange(String boxId, String ip) {
		return ExchangeRequest.of(boxId, ip, 7072, "ws://" + ip + ":7071/dandelion/" + boxId + "/ws/",
				new BoxMetrics(1200.0, 4, 1.0, 0.5, 0.0, 98.4, 0.0, 0.0, 0.1, 0.0, 0.01, 0.05, 947732L, 512000L, 14.52,
						9.13, 20.0, 1000L, null, null, null, null));
	}

	private EntranceTestClient client() {
		return new EntranceTestClient(this.port, "127.0.2.10");
	}

	@Test
	void shouldStoreAnExchangeAndReplyWithOwnInfoAndEveryEntrance() {
		String boxId = NodeId.random(Role.BOX).value();
		ExchangeRequest request = exchange(boxId, "127.0.2.10");
		Conversation conversation = client().send(false, 1, this.codec.encode(request));

		ExchangeReply reply = (ExchangeReply) this.codec.decode(conversation.replies().get(0));
		assertThat(reply.accepted()).isTrue();
		assertThat(reply.id()).isEqualTo(this.entranceId.value());
		assertThat(reply.entranceUrls()).containsExactly("http://127.0.0.1:" + this.port + "/dandelion/ws/",
				"http://127.0.9.4:7071/dandelion/ws/", "https://127.0.9.2:7070/dandelion/ws/",
				"https://127.0.9.3:7070/dandelion/ws/");
		assertThat(reply.yourIp()).isEqualTo("127.0.2.10");
		// The original closed after the reply;
		// so do we for clients that do not ask to stay.
		assertThat(conversation.closeStatus()).isNotNull();

		Map<String, String> stored = redis().hgetall(this.keys.exchange(boxId));
		assertThat(stored).containsAllEntriesOf(this.codec.toFields(request));
		assertThat(stored).containsEntry("GEOIP-CITY", "Tokyo").containsEntry("GEOIP-COUNTRY", "JP");
		assertThat(stored).containsEntry("SEEN_FROM", "127.0.2.10");
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isNotNull();
	}

	@Test
	void shouldKeepAPersistentConnectionForManyHeartbeats() {
		String boxId = NodeId.random(Role.BOX).value();
		String heartbeat = this.codec.encode(exchange(boxId, "127.0.2.10"));
		Conversation conversation = client().send(true, 3, heartbeat, heartbeat, heartbeat);
		assertThat(conversation.replies()).hasSize(3)
			.allSatisfy((text) -> assertThat(((ExchangeReply) this.codec.decode(text)).accepted()).isTrue());
	}

	@Test
	void shouldReplaceTheStoredExchangeInsteadOfMergingIt() {
		String boxId = NodeId.random(Role.BOX).value();
		ExchangeRequest first = exchange(boxId, "127.0.2.10").withExtra(Map.of("OLD_FIELD", "x"));
		client().send(false, 1, this.codec.encode(first));
		ExchangeRequest second = ExchangeRequest.of(boxId, "127.0.3.10", 7072, first.connectWs(), BoxMetrics.NONE);
		client().send(false, 1, this.codec.encode(second));
		Map<String, String> stored = redis().hgetall(this.keys.exchange(boxId));
		assertThat(stored).doesNotContainKeys("OLD_FIELD", "CPU-IDLE").containsEntry("IP", "127.0.3.10");
		assertThat(stored).containsEntry("GEOIP-CITY", "Frankfurt");
	}

	@Test
	void shouldStoreTrafficEntriesFlatAndCountThemOnceWhenSentTwice() {
		String boxId = NodeId.random(Role.BOX).value();
		ExchangeRequest withTraffic = exchange(boxId, "127.0.2.10")
			.withTraffic(List.of(new TrafficEntry("log-1", "/publisher-x/a.ts", 200, 1000, null),
					new TrafficEntry("log-2", "/publisher-x/b.ts", 206, 500, null),
					new TrafficEntry("log-3", "/publisher-x/c.ts", 304, 0, null)));
		String text = this.codec.encode(withTraffic);
		assertThat(this.codec.decode(client().send(false, 1, text).replies().get(0))).isInstanceOf(ExchangeReply.class);
		assertThat(this.codec.decode(client().send(false, 1, text).replies().get(0))).isInstanceOf(ExchangeReply.class);

		// Stored (the original's HMSET failed on nested values and kept nothing) and
		// flat: no JSON in the hash.
		Map<String, String> stored = redis().hgetall(this.keys.exchange(boxId));
		assertThat(stored).containsEntry("CPU-IDLE", "98.4");
		assertThat(stored.values()).noneMatch((value) -> value.startsWith("{"));
		assertThat(redis().hgetall(this.keys.trafficTotals(boxId))).containsEntry("bytes", "1500")
			.containsEntry("requests", "3")
			.containsEntry("2xx", "2")
			.containsEntry("3xx", "1");
		assertThat(redis().xlen(this.keys.trafficHistory(boxId))).isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "[]", "{}", "{\"ID\": \"box-1\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": null, \"PORT\": \"1\", \"TYPE\": \"BOX\", \"COMMAND\": \"EXCHANGE\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"BOX\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"BOX\", \"COMMAND\": \"DELETE\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"BOX\", \"COMMAND\": \"SEARCH\"}",
			"{\"ID\": \"box-0000}:BOX_SET\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"BOX\", \"COMMAND\": \"EXCHANGE\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"99999\", \"TYPE\": \"BOX\", \"COMMAND\": \"EXCHANGE\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"BOX\", \"COMMAND\": \"EXCHANGE\", \"CPU-IDLE\": \"NaN\"}",
			"{\"ID\": \"box-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"BOX\", \"COMMAND\": \"EXCHANGE\", \"x:TRAFFIC_FLOW:log-1\": {\"url\": \"/a\", \"status\": \"999\", \"size\": \"1\"}}",
			"{\"ID\": \"publisher-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"PUBLISH\"}",
			"{\"ID\": \"entrance-00000000000000000000000000000000\", \"IP\": \"1.2.3.4\", \"PORT\": \"1\", \"TYPE\": \"ENTRANCE\", \"COMMAND\": \"EXCHANGE\", \"MESSAGE\": \"ACCEPTED\"}" })
	void shouldRefuseMalformedAndHostileMessagesWithAnErrorAndChangeNothing(String hostile) {
		long boxesBefore = redis().zcard(this.keys.boxSet());
		Conversation conversation = client().send(false, 1, hostile);
		ErrorReply reply = (ErrorReply) this.codec.decode(conversation.replies().get(0));
		assertThat(reply.error()).startsWith(ErrorReply.WRONG_FORMAT);
		assertThat(reply.errorCode()).isNotBlank();
		assertThat(reply.id()).isEqualTo(this.entranceId.value());
		assertThat(reply.type()).isEqualTo("ENTRANCE");
		assertThat(reply.entranceUrls()).isNotEmpty();
		assertThat(redis().zcard(this.keys.boxSet())).isEqualTo(boxesBefore);
		assertThat(redis().exists(this.keys.exchange("box-00000000000000000000000000000000"))).isZero();
	}

	@Test
	void shouldKeepAPersistentSessionAfterAnError() throws Exception {
		String boxId = NodeId.random(Role.BOX).value();
		Conversation conversation = client().send(true, 2, "garbage", this.codec.encode(exchange(boxId, "127.0.2.10")));
		assertThat(this.codec.decode(conversation.replies().get(0))).isInstanceOf(ErrorReply.class);
		assertThat(this.codec.decode(conversation.replies().get(1))).isInstanceOf(ExchangeReply.class);
		JsonNode error = json.readTree(conversation.replies().get(0));
		assertThat(error.has("COMMAND")).as("original clients dispatch on COMMAND and must ignore errors").isFalse();
	}

	@Test
	void shouldCloseAConnectionThatSendsAnOversizedFrame() {
		ObjectNode huge = json.createObjectNode();
		huge.put("ID", NodeId.random(Role.BOX).value());
		huge.put("PAD", "x".repeat(5 * 1024 * 1024));
		Conversation conversation = client().send(true, 1, huge.toString());
		assertThat(conversation.replies()).isEmpty();
		boolean closedAbnormally = conversation.closeStatus() != null
				&& conversation.closeStatus().getCode() != CloseStatus.NORMAL.getCode();
		assertThat(closedAbnormally || conversation.error() != null).as("connection refused the frame").isTrue();
		// The entrance goes on serving everybody else.
		String boxId = NodeId.random(Role.BOX).value();
		assertThat(this.codec
			.decode(client().send(false, 1, this.codec.encode(exchange(boxId, "127.0.2.10"))).replies().get(0)))
			.isInstanceOf(ExchangeReply.class);
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
