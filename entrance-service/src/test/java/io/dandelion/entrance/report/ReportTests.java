package io.dandelion.entrance.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.EntranceTestClient.Conversation;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.RankingPart;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.ReportReply;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * REPORT over a real WebSocket and Redis: a publisher that proves its credential reports
 * a box; the entrance counts every report but ranks by distinct publishers within the
 * window, shows the reports in its REST API, and changes nothing for a refused one.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.amount-of-boxes-per-request=1000", "entrance.max-boxes-per-network=1000" })
@WithTestRedis
class ReportTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private static final Duration SEVEN_DAYS = Duration.ofDays(7);

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private ReportRepository reports;

	private TestCredentials credentials;

	@BeforeEach
	void credentials() {
		this.credentials = new TestCredentials(this.keys);
	}

	@Test
	void shouldAcceptAndCountASignedReportWithKeysThatExpire() {
		String boxId = liveBox();
		String publisherId = publisherId();
		ReportRequest signed = this.credentials.sign(report(publisherId, boxId, "/live/demo/12.ts"));

		Message reply = send(signed);

		assertThat(reply).isInstanceOf(ReportReply.class);
		ReportReply accepted = (ReportReply) reply;
		assertThat(accepted.message()).isEqualTo(Commands.ACCEPTED);
		assertThat(accepted.id()).isEqualTo(entrance.id().value());
		assertThat(this.codec.encode(accepted)).contains("\"TYPE\":\"ENTRANCE\"", "\"COMMAND\":\"REPORT\"");
		Map<String, String> summary = redis().hgetall(this.keys.reports(boxId));
		assertThat(summary).containsEntry("count", "1")
			.containsEntry("last-file-path", "/live/demo/12.ts")
			.containsEntry("last-publisher", publisherId)
			.containsKey("last-report-at");
		assertThat(redis().zscore(this.keys.reporters(boxId), publisherId)).isNotNull();
		assertThat(redis().hget(this.keys.authTimes(), publisherId)).isEqualTo(signed.authTime());
		for (String key : List.of(this.keys.reports(boxId), this.keys.reporters(boxId))) {
			assertThat(redis().pttl(key)).as(key)
				.isBetween(SEVEN_DAYS.minusMinutes(1).toMillis(), SEVEN_DAYS.toMillis());
		}
	}

	@Test
	void shouldRefuseAnUnsignedForgedOrReplayedReportAndCountNothing() {
		String boxId = liveBox();
		String publisherId = publisherId();
		ReportRequest unsigned = report(publisherId, boxId, "/a.ts");
		assertRefused(send(unsigned), "UNAUTHENTICATED");
		// Not even from a publisher with a credential
		this.credentials.of(publisherId);
		assertRefused(send(unsigned), "UNAUTHENTICATED");
		assertRefused(send(MessageAuth.sign(unsigned, NodeCredential.random(NodeId.parse(publisherId)),
				TestCredentials.nextSigningTime())), "UNAUTHENTICATED");
		ReportRequest signed = this.credentials.sign(unsigned);
		// The proof covers BOX_ID, FILE_PATH and REASON
		assertRefused(send(new ReportRequest(publisherId, "127.0.2.50", null, liveBox(), "/a.ts",
				ReportRequest.SHA256_MISMATCH, signed.authTime(), signed.authSignature())), "UNAUTHENTICATED");
		assertRefused(send(new ReportRequest(publisherId, "127.0.2.50", null, boxId, "/b.ts",
				ReportRequest.SHA256_MISMATCH, signed.authTime(), signed.authSignature())), "UNAUTHENTICATED");
		assertNothingRecorded(boxId, publisherId);

		assertThat(send(signed)).isInstanceOf(ReportReply.class);
		assertRefused(send(signed), "STALE_REQUEST");
		assertRefused(
				send(MessageAuth.sign(unsigned, this.credentials.of(publisherId), Instant.now().minusSeconds(90))),
				"STALE_REQUEST");
		assertThat(redis().hget(this.keys.reports(boxId), "count")).isEqualTo("1");
		assertThat(redis().hget(this.keys.authTimes(), publisherId)).isEqualTo(signed.authTime());
	}

	@Test
	void shouldRefuseBadFieldsBeforeTheProofAndRecordNothingNotEvenTheAuthTime() {
		String boxId = liveBox();
		String publisherId = publisherId();
		Map<ReportRequest, String> refused = Map.of(report(publisherId, "box-123", "/a.ts"), "BAD_VALUE",
				report(publisherId, publisherId, "/a.ts"), "BAD_VALUE",
				report(publisherId, boxId.toUpperCase().replace("BOX-", "box-"), "/a.ts"), "BAD_VALUE",
				report(publisherId, NodeId.random(Role.BOX).value(), "/a.ts"), "BAD_VALUE",
				report(publisherId, null, "/a.ts"), "MISSING_FIELD", report(publisherId, boxId, ""), "EMPTY_FIELD",
				report(publisherId, boxId, "/" + "a".repeat(1024)), "BAD_VALUE",
				new ReportRequest(publisherId, "127.0.2.50", null, boxId, "/a.ts", "sha256_mismatch", null, null),
				"BAD_VALUE", new ReportRequest(publisherId, "127.0.2.50", null, boxId, "/a.ts", null, null, null),
				"MISSING_FIELD");
		refused.forEach((request, code) -> {
			ErrorReply error = assertRefused(send(this.credentials.sign(request)), code);
			assertThat(error.error()).startsWith(ErrorReply.WRONG_FORMAT);
		});
		assertNothingRecorded(boxId, publisherId);
		// The longest FILE_PATH is fine
		assertThat(send(this.credentials.sign(report(publisherId, boxId, "/" + "a".repeat(1023)))))
			.isInstanceOf(ReportReply.class);
	}

	@Test
	void shouldCountOnePublisherReportingManyTimesAsOneReporter() {
		String boxId = liveBox();
		String publisherId = publisherId();
		String[] texts = new String[50];
		for (int i = 0; i < texts.length; i++) {
			texts[i] = this.codec.encode(this.credentials.sign(report(publisherId, boxId, "/live/demo/" + i + ".ts")));
		}
		Conversation conversation = new EntranceTestClient(this.port, "127.0.2.50").send(true, texts.length, texts);
		assertThat(conversation.replies()).hasSize(texts.length)
			.allSatisfy((reply) -> assertThat(this.codec.decode(reply)).isInstanceOf(ReportReply.class));

		JsonNode listed = listed(boxId);
		assertThat(listed.at("/reports/count").asLong()).isEqualTo(50);
		assertThat(listed.at("/reports/reporters").asLong()).isEqualTo(1);
		assertThat(listed.at("/reports/lastFilePath").asText()).isEqualTo("/live/demo/49.ts");
		assertThat(Instant.parse(listed.at("/reports/lastReportAt").asText())).isBetween(Instant.now().minusSeconds(60),
				Instant.now());
		assertThat(listed.at("/rank/reasons/reports").asDouble()).isEqualTo(0.5);
		assertThat(redis().zcard(this.keys.reporters(boxId))).isEqualTo(1);
	}

	@Test
	void shouldLowerTheRankMoreForEachDistinctPublisherInRestAndSearch() {
		String boxId = liveBox();
		JsonNode before = listed(boxId);
		assertThat(before.has("reports")).isFalse();
		assertThat(before.at("/rank/reasons").has("reports")).isFalse();

		assertThat(send(this.credentials.sign(report(publisherId(), boxId, "/a.ts")))).isInstanceOf(ReportReply.class);
		JsonNode once = listed(boxId);
		assertThat(send(this.credentials.sign(report(publisherId(), boxId, "/b.ts")))).isInstanceOf(ReportReply.class);
		JsonNode twice = listed(boxId);

		assertThat(once.at("/reports/reporters").asLong()).isEqualTo(1);
		assertThat(twice.at("/reports/reporters").asLong()).isEqualTo(2);
		assertThat(twice.at("/reports/count").asLong()).isEqualTo(2);
		assertThat(once.at("/rank/reasons/reports").asDouble()).isEqualTo(0.5);
		assertThat(twice.at("/rank/reasons/reports").asDouble()).isEqualTo(0.3333);
		assertThat(score(before)).isGreaterThan(score(once));
		assertThat(score(once)).isGreaterThan(score(twice));
		// The factor multiplies the weighted mean of the parts
		for (JsonNode listing : List.of(before, once, twice)) {
			double factor = listing.at("/rank/reasons").has("reports") ? listing.at("/rank/reasons/reports").asDouble()
					: 1;
			assertThat(score(listing)).isCloseTo(weightedMean(listing.at("/rank/reasons")) * factor, within(0.001));
		}

		SearchReply reply = (SearchReply) send(
				this.credentials.sign(new SearchRequest(publisherId(), "127.0.2.50", null, null)));
		ExchangeRequest listedInSearch = reply.boxSet().get(boxId);
		assertThat(listedInSearch.rankReasons()).containsEntry(BoxRanker.REPORTS_REASON, 0.3333);
		assertThat(this.codec.encode(reply)).contains("reports=0.3333");
	}

	@Test
	void shouldCountOnlyThePublishersThatReportedWithinTheWindow() {
		String boxId = NodeId.random(Role.BOX).value();
		Instant now = Instant.now();
		Duration day = Duration.ofHours(24);
		String old = publisherId();
		String recent = publisherId();
		this.reports.record(boxId, old, "/a.ts", now.minus(Duration.ofHours(30)), day, SEVEN_DAYS).block();
		BoxReports recorded = this.reports.record(boxId, recent, "/b.ts", now, day, SEVEN_DAYS).block();

		assertThat(recorded).isEqualTo(new BoxReports(2, 1, now, "/b.ts"));
		assertThat(this.reports.reporters(List.of(boxId, NodeId.random(Role.BOX).value()), now.minus(day)).block())
			.isEqualTo(Map.of(boxId, 1L));
		assertThat(this.reports.find(boxId, now.minus(day)).block())
			.isEqualTo(new BoxReports(2, 1, Instant.ofEpochMilli(now.toEpochMilli()), "/b.ts"));
		assertThat(this.reports.find(NodeId.random(Role.BOX).value(), now.minus(day)).blockOptional()).isEmpty();
	}

	private static double weightedMean(JsonNode reasons) {
		double weighted = 0;
		double total = 0;
		for (RankingPart part : RankingPart.values()) {
			if (!reasons.has(part.key())) {
				// A measured part of a box nobody probed: left out
				continue;
			}
			weighted += part.defaultWeight() * reasons.get(part.key()).asDouble();
			total += part.defaultWeight();
		}
		return weighted / total;
	}

	private static double score(JsonNode listing) {
		return listing.at("/rank/score").asDouble();
	}

	private JsonNode listed(String boxId) {
		JsonNode all = TestClients.local(this.port)
			.get()
			.uri("/dandelion/api/v1/boxes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		for (JsonNode box : all) {
			if (box.get("id").asText().equals(boxId)) {
				JsonNode one = TestClients.local(this.port)
					.get()
					.uri("/dandelion/api/v1/boxes/{id}", boxId)
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(JsonNode.class)
					.returnResult()
					.getResponseBody();
				assertThat(one.get("reports")).isEqualTo(box.get("reports"));
				return box;
			}
		}
		throw new AssertionError(boxId + " is not listed");
	}

	/** A box registered with a signed heartbeat. */
	private String liveBox() {
		String boxId = NodeId.random(Role.BOX).value();
		ExchangeRequest heartbeat = ExchangeRequest
			.of(boxId, "127.0.2.10", 7070, "http://127.0.2.10:7070/dandelion/" + boxId + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072);
		assertThat(send(this.credentials.sign(heartbeat))).isInstanceOf(ExchangeReply.class);
		return boxId;
	}

	private static String publisherId() {
		return NodeId.random(Role.PUBLISHER).value();
	}

	private static ReportRequest report(String publisherId, String boxId, String filePath) {
		return new ReportRequest(publisherId, "127.0.2.50", 7073, boxId, filePath, ReportRequest.SHA256_MISMATCH, null,
				null);
	}

	private Message send(Message request) {
		Conversation conversation = new EntranceTestClient(this.port, "127.0.2.50").send(false, 1,
				this.codec.encode(request));
		return this.codec.decode(conversation.replies().get(0));
	}

	private static ErrorReply assertRefused(Message reply, String code) {
		assertThat(reply).isInstanceOf(ErrorReply.class);
		ErrorReply error = (ErrorReply) reply;
		assertThat(error.errorCode()).isEqualTo(code);
		assertThat(error.type()).isEqualTo("ENTRANCE");
		return error;
	}

	private void assertNothingRecorded(String boxId, String publisherId) {
		assertThat(redis().exists(this.keys.reports(boxId), this.keys.reporters(boxId))).isZero();
		assertThat(redis().hget(this.keys.authTimes(), publisherId)).isNull();
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
