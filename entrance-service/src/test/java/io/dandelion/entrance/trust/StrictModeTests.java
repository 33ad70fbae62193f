package io.dandelion.entrance.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.EntranceTestClient.Conversation;
import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Strict mode, the default, over a real WebSocket and Redis: every EXCHANGE and SEARCH
 * proves a credential, or is refused with its {@code ERROR_CODE} and changes nothing; a
 * proven publisher gets a publish ticket and the URL secret of each box.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.amount-of-boxes-per-request=1000", "entrance.max-boxes-per-network=1000" })
@WithTestRedis
class StrictModeTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private BoxRepository boxes;

	private TestCredentials credentials;

	@BeforeEach
	void credentials() {
		this.credentials = new TestCredentials(this.keys);
	}

	@Test
	void shouldStoreASignedExchangeWithoutItsProofOrTrustFieldsOfItsOwn() {
		String boxId = boxId();
		ExchangeRequest signed = this.credentials.sign(heartbeat(boxId, "http://127.0.2.10:7070/a/")
			.withExtra(Map.of(PublishTicket.FIELD, "dt1.forged.ticket", ViewerUrlSignature.SECRET_FIELD, "chosen")));

		assertThat(send(signed)).isInstanceOf(ExchangeReply.class);

		Map<String, String> stored = redis().hgetall(this.keys.exchange(boxId));
		assertThat(stored).containsEntry("CONNECT_WS", "http://127.0.2.10:7070/a/")
			.doesNotContainKeys(MessageAuth.RESERVED_FIELDS.toArray(String[]::new));
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isNotNull();
		assertThat(redis().hget(this.keys.authTimes(), boxId)).isEqualTo(signed.extra().get(MessageAuth.TIME_FIELD));
		String listed = TestClients.local(this.port)
			.get()
			.uri("/dandelion/api/v1/boxes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(listed).contains(boxId)
			.doesNotContain("AUTH_", "auth", PublishTicket.FIELD, ViewerUrlSignature.SECRET_FIELD, "forged", "chosen",
					this.credentials.of(boxId).encodedSecret());
	}

	@Test
	void shouldRefuseAnUnsignedExchangeAndStoreNothing() {
		String boxId = boxId();
		ExchangeRequest unsigned = heartbeat(boxId, "http://127.0.2.10:7070/a/")
			.withTraffic(List.of(new TrafficEntry("log-1", "/publisher-x/a.ts", 200, 1000, null)));
		assertRefused(send(unsigned), AuthException.Code.UNAUTHENTICATED);
		assertNothingStored(boxId);
		// Not even for a box that has a credential
		this.credentials.of(boxId);
		assertRefused(send(unsigned), AuthException.Code.UNAUTHENTICATED);
		assertNothingStored(boxId);
	}

	@Test
	void shouldRefuseAnExchangeSignedWithAnotherCredentialOrForAnIdWithoutOne() {
		String boxId = boxId();
		this.credentials.of(boxId);
		NodeCredential forged = NodeCredential.random(NodeId.parse(boxId));
		assertRefused(send(MessageAuth.sign(heartbeat(boxId, "http://x/"), forged, Instant.now())),
				AuthException.Code.UNAUTHENTICATED);
		assertNothingStored(boxId);

		String unknownId = boxId();
		NodeCredential neverIssued = NodeCredential.random(NodeId.parse(unknownId));
		ErrorReply refused = assertRefused(
				send(MessageAuth.sign(heartbeat(unknownId, "http://x/"), neverIssued, Instant.now())),
				AuthException.Code.UNAUTHENTICATED);
		assertThat(refused.error()).contains("No credential");
		assertNothingStored(unknownId);
	}

	@Test
	void shouldRefuseAMalformedProof() {
		String boxId = boxId();
		ExchangeRequest signed = this.credentials.sign(heartbeat(boxId, "http://x/"));
		Map<String, String> timeOnly = new LinkedHashMap<>(signed.extra());
		timeOnly.remove(MessageAuth.SIGNATURE_FIELD);
		assertRefused(send(signed.withExtra(timeOnly)), AuthException.Code.UNAUTHENTICATED);
		Map<String, String> badTime = new LinkedHashMap<>(signed.extra());
		badTime.put(MessageAuth.TIME_FIELD, "soon");
		assertRefused(send(signed.withExtra(badTime)), AuthException.Code.UNAUTHENTICATED);
		assertNothingStored(boxId);
	}

	@Test
	void shouldRefuseAReplayedOrOlderExchangeAndKeepTheRecord() {
		String boxId = boxId();
		ExchangeRequest first = this.credentials.sign(heartbeat(boxId, "http://127.0.2.10:7070/first/"));
		ExchangeRequest second = this.credentials.sign(heartbeat(boxId, "http://127.0.2.10:7070/second/"));
		assertThat(send(second)).isInstanceOf(ExchangeReply.class);
		BoxState accepted = state(boxId);

		assertRefused(send(second), AuthException.Code.STALE_REQUEST);
		assertRefused(send(first), AuthException.Code.STALE_REQUEST);
		assertThat(state(boxId)).isEqualTo(accepted);
		assertThat(accepted.exchange()).containsEntry("CONNECT_WS", "http://127.0.2.10:7070/second/");
	}

	@Test
	void shouldRefuseAnExchangeSignedOutsideTheWindow() {
		String boxId = boxId();
		NodeCredential credential = this.credentials.of(boxId);
		for (Duration off : List.of(Duration.ofSeconds(-90), Duration.ofSeconds(90), Duration.ofDays(-365))) {
			ErrorReply refused = assertRefused(
					send(MessageAuth.sign(heartbeat(boxId, "http://x/"), credential, Instant.now().plus(off))),
					AuthException.Code.STALE_REQUEST);
			assertThat(refused.error()).contains("60 s");
		}
		assertNothingStored(boxId);
		// A clock a little off is fine
		assertThat(send(MessageAuth.sign(heartbeat(boxId, "http://x/"), credential, Instant.now().minusSeconds(30))))
			.isInstanceOf(ExchangeReply.class);
	}

	@Test
	void shouldNotLetAnotherCredentialOrNoneTakeOverARegisteredBox() {
		String boxId = boxId();
		assertThat(send(this.credentials.sign(heartbeat(boxId, "http://127.0.2.10:7070/owner/"))))
			.isInstanceOf(ExchangeReply.class);
		BoxState owned = state(boxId);

		ExchangeRequest takeover = heartbeat(boxId, "http://127.0.9.9:7070/thief/");
		assertRefused(send(takeover), AuthException.Code.UNAUTHENTICATED);
		assertRefused(send(MessageAuth.sign(takeover, NodeCredential.random(NodeId.parse(boxId)),
				TestCredentials.nextSigningTime())), AuthException.Code.UNAUTHENTICATED);
		assertThat(state(boxId)).isEqualTo(owned);
		assertThat(owned.exchange()).containsEntry("CONNECT_WS", "http://127.0.2.10:7070/owner/");
	}

	@Test
	void shouldAcceptTheSameSignedExchangeOnceWhenItArrivesManyTimesAtOnce() {
		String boxId = boxId();
		String text = this.codec.encode(this.credentials.sign(heartbeat(boxId, "http://x/")));
		EntranceTestClient client = new EntranceTestClient(this.port, null);
		List<Message> replies = Flux.range(0, 16)
			.flatMap((i) -> client.sendAsync(false, 1, text), 16)
			.map((conversation) -> this.codec.decode(conversation.replies().get(0)))
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(replies).filteredOn(ExchangeReply.class::isInstance).hasSize(1);
		assertThat(replies).filteredOn(ErrorReply.class::isInstance)
			.hasSize(15)
			.allSatisfy((reply) -> assertThat(((ErrorReply) reply).errorCode()).isEqualTo("STALE_REQUEST"));
	}

	@Test
	void shouldRefuseAnUnsignedForgedReplayedOrUnknownSearch() {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		SearchRequest search = new SearchRequest(publisherId, "127.0.2.50", null, null);
		assertRefused(send(search), AuthException.Code.UNAUTHENTICATED);
		SearchRequest signed = this.credentials.sign(search);
		assertRefused(send(MessageAuth.sign(search, NodeCredential.random(NodeId.parse(publisherId)), Instant.now())),
				AuthException.Code.UNAUTHENTICATED);
		String signature = signed.authSignature();
		String flipped = ((signature.charAt(0) == 'A') ? "B" : "A") + signature.substring(1);
		assertRefused(send(signed.withProof(signed.authTime(), flipped)), AuthException.Code.UNAUTHENTICATED);
		assertRefused(send(new SearchRequest(publisherId, "127.0.2.50", null, 5).withProof(signed.authTime(),
				signed.authSignature())), AuthException.Code.UNAUTHENTICATED);
		assertThat(redis().hget(this.keys.authTimes(), publisherId)).isNull();

		assertThat(send(signed)).isInstanceOf(SearchReply.class);
		assertRefused(send(signed), AuthException.Code.STALE_REQUEST);
		assertThat(redis().hget(this.keys.authTimes(), publisherId)).isEqualTo(signed.authTime());

		String unknown = NodeId.random(Role.PUBLISHER).value();
		assertRefused(
				send(MessageAuth.sign(new SearchRequest(unknown, "127.0.2.50", null, null),
						NodeCredential.random(NodeId.parse(unknown)), Instant.now())),
				AuthException.Code.UNAUTHENTICATED);
	}

	@Test
	void shouldHandAProvenPublisherATicketForEachBoxAndTheUrlSecretOfEachBoxWithACredential() throws Exception {
		String signedBox = boxId();
		assertThat(send(this.credentials.sign(heartbeat(signedBox, "http://x/")))).isInstanceOf(ExchangeReply.class);
		// A box stored without a credential (as in compatible mode), and with proof
		// fields an older entrance kept: listed with a ticket, but without a URL secret
		String plainBox = boxId();
		this.boxes
			.save(heartbeat(plainBox, "http://y/").withExtra(Map.of(MessageAuth.TIME_FIELD, "1",
					MessageAuth.SIGNATURE_FIELD, "old", ViewerUrlSignature.SECRET_FIELD, "old")), Instant.now(),
					Duration.ofMinutes(2), "127.0.2.11")
			.block(Duration.ofSeconds(10));
		assertThat(redis().hget(this.keys.exchange(plainBox), ViewerUrlSignature.SECRET_FIELD)).isEqualTo("old");

		String publisherId = NodeId.random(Role.PUBLISHER).value();
		SearchReply reply = (SearchReply) send(
				this.credentials.sign(new SearchRequest(publisherId, "127.0.2.50", null, null)));
		Instant now = Instant.now();

		String publicKey = publicKey();
		assertThat(reply.boxSet()).containsKeys(signedBox, plainBox);
		for (ExchangeRequest box : reply.boxSet().values()) {
			PublishTicket ticket = PublishTicket.verify(box.extra().get(PublishTicket.FIELD),
					List.of(Ed25519Keys.decode(publicKey)), publisherId, box.id(), now);
			assertThat(ticket.entranceId()).isEqualTo(entrance.id().value());
			assertThat(ticket.expiresAt()).isBetween(now.plusSeconds(290), now.plusSeconds(301));
			assertThat(box.extra()).doesNotContainKeys(MessageAuth.TIME_FIELD, MessageAuth.SIGNATURE_FIELD);
			AuthException otherPublisher = catchThrowableOfType(AuthException.class,
					() -> PublishTicket.verify(box.extra().get(PublishTicket.FIELD),
							List.of(Ed25519Keys.decode(publicKey)), NodeId.random(Role.PUBLISHER).value(), box.id(),
							now));
			assertThat(otherPublisher.code()).isEqualTo(AuthException.Code.BAD_TICKET);
		}
		assertThat(reply.boxSet().get(signedBox).extra()).containsEntry(ViewerUrlSignature.SECRET_FIELD,
				this.credentials.of(signedBox).urlSecret());
		assertThat(reply.boxSet().get(plainBox).extra()).doesNotContainKey(ViewerUrlSignature.SECRET_FIELD);
		// Handed on, never stored
		assertThat(redis().hgetall(this.keys.exchange(signedBox))).doesNotContainKeys(PublishTicket.FIELD,
				ViewerUrlSignature.SECRET_FIELD);
	}

	/** The key GET /dandelion/api/v1/keys serves, without a token. */
	private String publicKey() {
		Map<String, Object> keys = TestClients.local(this.port)
			.get()
			.uri("/dandelion/api/v1/keys")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(keys).containsEntry("ID", entrance.id().value());
		return Objects.requireNonNull(keys).get("PUBLIC_KEY").toString();
	}

	private static String boxId() {
		return NodeId.random(Role.BOX).value();
	}

	private static ExchangeRequest heartbeat(String boxId, String connectWs) {
		return ExchangeRequest.of(boxId, "127.0.2.10", 7070, connectWs, BoxMetrics.NONE).withDataPort(7072);
	}

	private Message send(Message request) {
		Conversation conversation = new EntranceTestClient(this.port, "127.0.2.10").send(false, 1,
				this.codec.encode(request));
		return this.codec.decode(conversation.replies().get(0));
	}

	private static ErrorReply assertRefused(Message reply, AuthException.Code code) {
		assertThat(reply).isInstanceOf(ErrorReply.class);
		ErrorReply error = (ErrorReply) reply;
		assertThat(error.errorCode()).isEqualTo(code.name());
		assertThat(error.error()).isNotBlank();
		assertThat(error.type()).isEqualTo("ENTRANCE");
		return error;
	}

	private void assertNothingStored(String boxId) {
		assertThat(state(boxId)).isEqualTo(new BoxState(Map.of(), null, null, Map.of()));
	}

	private BoxState state(String boxId) {
		return new BoxState(redis().hgetall(this.keys.exchange(boxId)), redis().zscore(this.keys.boxSet(), boxId),
				redis().hget(this.keys.authTimes(), boxId), redis().hgetall(this.keys.trafficTotals(boxId)));
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

	/** What the entrance holds of one box. */
	record BoxState(Map<String, String> exchange, Double boxSetScore, String authTime,
			Map<String, String> trafficTotals) {

	}

}
