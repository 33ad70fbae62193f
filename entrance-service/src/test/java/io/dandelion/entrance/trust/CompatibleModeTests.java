package io.dandelion.entrance.trust;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
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
import io.dandelion.protocol.BoxMetrics;
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
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatible mode: the original's unsigned boxes and publishers are served as long as
 * their IDs have no credential; an ID with a credential is never served without its
 * proof, and a proof that is present is always checked.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dandelion.security.mode=compatible", "entrance.amount-of-boxes-per-request=1000",
				"entrance.max-boxes-per-network=1000" })
@WithTestRedis
class CompatibleModeTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	private TestCredentials credentials;

	@BeforeEach
	void credentials() {
		this.credentials = new TestCredentials(this.keys);
	}

	@Test
	void shouldAcceptAnUnsignedExchangeFromABoxWithoutCredential() {
		String boxId = boxId();
		assertThat(send(heartbeat(boxId, "http://127.0.2.10:7070/plain/"))).isInstanceOf(ExchangeReply.class);
		assertThat(redis().hgetall(this.keys.exchange(boxId))).containsEntry("CONNECT_WS",
				"http://127.0.2.10:7070/plain/");
		assertThat(redis().hget(this.keys.authTimes(), boxId)).isNull();
	}

	@Test
	void shouldRefuseAnUnsignedExchangeFromABoxWithACredentialAndKeepItsRecord() {
		String boxId = boxId();
		assertThat(send(this.credentials.sign(heartbeat(boxId, "http://127.0.2.10:7070/owner/"))))
			.isInstanceOf(ExchangeReply.class);
		Map<String, String> owned = redis().hgetall(this.keys.exchange(boxId));
		Double expiry = redis().zscore(this.keys.boxSet(), boxId);

		ErrorReply refused = (ErrorReply) send(heartbeat(boxId, "http://127.0.9.9:7070/thief/"));
		assertThat(refused.errorCode()).isEqualTo("UNAUTHENTICATED");
		assertThat(refused.error()).contains("has a credential");
		assertThat(redis().hgetall(this.keys.exchange(boxId))).isEqualTo(owned)
			.containsEntry("CONNECT_WS", "http://127.0.2.10:7070/owner/");
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isEqualTo(expiry);
	}

	@Test
	void shouldCheckAProofThatIsPresentEvenFromAnIdWithoutCredential() {
		String boxId = boxId();
		ExchangeRequest forged = MessageAuth.sign(heartbeat(boxId, "http://x/"),
				NodeCredential.random(NodeId.parse(boxId)), Instant.now());
		assertThat(((ErrorReply) send(forged)).errorCode()).isEqualTo("UNAUTHENTICATED");
		Map<String, String> timeOnly = new LinkedHashMap<>(forged.extra());
		timeOnly.remove(MessageAuth.SIGNATURE_FIELD);
		assertThat(((ErrorReply) send(forged.withExtra(timeOnly))).errorCode()).isEqualTo("UNAUTHENTICATED");
		assertThat(redis().exists(this.keys.exchange(boxId))).isZero();
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isNull();
	}

	@Test
	void shouldRefuseAReplayedExchangeOfABoxWithACredential() {
		ExchangeRequest signed = this.credentials.sign(heartbeat(boxId(), "http://x/"));
		assertThat(send(signed)).isInstanceOf(ExchangeReply.class);
		assertThat(((ErrorReply) send(signed)).errorCode()).isEqualTo("STALE_REQUEST");
	}

	@Test
	void shouldAnswerAnUnsignedSearchWithoutTicketsOrUrlSecrets() {
		String signedBox = boxId();
		assertThat(send(this.credentials.sign(heartbeat(signedBox, "http://x/")))).isInstanceOf(ExchangeReply.class);
		SearchReply reply = (SearchReply) send(
				new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.2.50", null, null));
		assertThat(reply.boxSet()).containsKey(signedBox);
		assertThat(reply.boxSet().values()).allSatisfy((box) -> assertThat(box.extra())
			.doesNotContainKeys(PublishTicket.FIELD, ViewerUrlSignature.SECRET_FIELD));
	}

	@Test
	void shouldRefuseAnUnsignedSearchFromAPublisherWithACredentialAndServeItsSignedOne() {
		String signedBox = boxId();
		assertThat(send(this.credentials.sign(heartbeat(signedBox, "http://x/")))).isInstanceOf(ExchangeReply.class);
		SearchRequest search = new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.2.50", null, null);
		SearchRequest signed = this.credentials.sign(search);
		assertThat(((ErrorReply) send(search)).errorCode()).isEqualTo("UNAUTHENTICATED");

		SearchReply reply = (SearchReply) send(signed);
		assertThat(reply.boxSet().get(signedBox).extra()).containsKey(PublishTicket.FIELD)
			.containsEntry(ViewerUrlSignature.SECRET_FIELD, this.credentials.of(signedBox).urlSecret());
	}

	@Test
	void shouldRefuseAnUnsignedReportEvenFromAPublisherWithoutCredentialAndAcceptASignedOne() {
		String boxId = boxId();
		assertThat(send(heartbeat(boxId, "http://127.0.2.10:7070/plain/"))).isInstanceOf(ExchangeReply.class);
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		ReportRequest report = new ReportRequest(publisherId, "127.0.2.50", null, boxId, "/live/demo/1.ts",
				ReportRequest.SHA256_MISMATCH, null, null);

		ErrorReply refused = (ErrorReply) send(report);
		assertThat(refused.errorCode()).isEqualTo("UNAUTHENTICATED");
		assertThat(refused.error()).contains("every SECURITY_MODE");
		assertThat(redis().exists(this.keys.reports(boxId), this.keys.reporters(boxId))).isZero();

		// A box stored unsigned can still be reported, by a publisher that proves itself
		assertThat(send(this.credentials.sign(report))).isInstanceOf(ReportReply.class);
		assertThat(redis().hget(this.keys.reports(boxId), "count")).isEqualTo("1");
	}

	private static String boxId() {
		return NodeId.random(Role.BOX).value();
	}

	private static ExchangeRequest heartbeat(String boxId, String connectWs) {
		return ExchangeRequest.of(boxId, "127.0.2.10", 7070, connectWs, BoxMetrics.NONE);
	}

	private Message send(Message request) {
		return this.codec.decode(new EntranceTestClient(this.port, null).request(this.codec.encode(request)));
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
