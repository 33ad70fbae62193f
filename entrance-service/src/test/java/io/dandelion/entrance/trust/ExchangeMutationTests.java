package io.dandelion.entrance.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.peer.Peer;
import io.dandelion.entrance.session.EntranceRequests;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Property: every mutation of a valid signed EXCHANGE (a character of its signature
 * changed, a signed field changed or dropped, its time shifted or re-signed outside the
 * window or before the last accepted one, a field name in the wrong case, a huge value,
 * another box's ID) is refused with the {@code ERROR_CODE} the mutation calls for, and
 * leaves the Redis state of both boxes involved as it was; the unmutated EXCHANGE is then
 * accepted. Half the cases mutate the heartbeat of a box that is already registered.
 */
// Two thousand refusals would each log a line; the boxes, all of one /24, each send many
// heartbeats: the registration limits are RegistrationLimitsTests' matter
@SpringBootTest(properties = { "logging.level.io.dandelion.entrance.session.EntranceRequests=warn",
		"entrance.registration.max-live-boxes-per-network=100000",
		"entrance.registration.max-exchanges-per-minute=100000" })
@WithTestRedis
@ExtendWith(SeededCases.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag(TestRedis.ONE_LAYOUT_TAG)
class ExchangeMutationTests {

	private static final int CASES = 2_000;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Peer PEER = new Peer("127.0.2.10", false);

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	private final ObjectMapper json = new ObjectMapper();

	@Autowired
	private EntranceRequests requests;

	@Autowired
	private RedisKeys keys;

	private TestCredentials credentials;

	/** A registered box with a credential of its own, whose ID a mutation may borrow. */
	private String otherBoxId;

	@BeforeAll
	void registerAnotherBox() {
		this.credentials = new TestCredentials(this.keys);
		this.otherBoxId = NodeId.random(Role.BOX).value();
		assertAccepted(this.credentials.sign(heartbeat(this.otherBoxId, "log-other")));
	}

	static Stream<Arguments> mutations() {
		List<Arguments> edgeCases = Arrays.stream(Kind.values())
			.map((kind) -> arguments(new Mutation(kind, kind == Kind.RESIGNED_NOT_LATER, 0, 0, "")))
			.toList();
		return SeededCases.of(0x7a57_2026L, CASES, edgeCases, (gen) -> {
			Kind kind = gen.oneOf(Kind.values());
			return arguments(new Mutation(kind, kind == Kind.RESIGNED_NOT_LATER || gen.bool(), gen.intBetween(0, 1000),
					gen.longBetween(0, 1_000_000_000_000L), gen.anyString(40)));
		});
	}

	@ParameterizedTest
	@MethodSource("mutations")
	void shouldRefuseEveryMutationOfASignedExchangeWithAStableCodeAndChangeNothing(Mutation mutation) throws Exception {
		String boxId = NodeId.random(Role.BOX).value();
		NodeCredential credential = this.credentials.of(boxId);
		Instant registeredAt = null;
		if (mutation.preRegistered()) {
			registeredAt = Instant.now().minusSeconds(5);
			assertAccepted(MessageAuth.sign(heartbeat(boxId, "log-0"), credential, registeredAt));
		}
		String freshId = NodeId.random(Role.BOX).value();
		List<String> involved = List.of(boxId, this.otherBoxId, freshId);
		Map<String, BoxState> before = states(involved);
		Instant signedAt = TestCredentials.nextSigningTime();
		ExchangeRequest valid = MessageAuth.sign(heartbeat(boxId, "log-1"), credential, signedAt);

		Mutated mutated = mutation.apply((ObjectNode) this.json.readTree(this.codec.encode(valid)),
				new Context(valid, credential, signedAt, registeredAt, this.otherBoxId, freshId));
		Message reply = handle(mutated.text());

		assertThat(reply).as("reply to %s", mutation).isInstanceOf(ErrorReply.class);
		assertThat(((ErrorReply) reply).errorCode()).as("ERROR_CODE of %s", mutation).isEqualTo(mutated.expectedCode());
		assertThat(states(involved)).as("Redis after %s", mutation).isEqualTo(before);
		assertAccepted(valid);
		assertThat(redis().hget(this.keys.authTimes(), boxId)).isEqualTo(Long.toString(signedAt.toEpochMilli()));
	}

	private static ExchangeRequest heartbeat(String boxId, String logId) {
		return ExchangeRequest
			.of(boxId, "127.0.2.10", 7070, "http://127.0.2.10:7070/dandelion/" + boxId + "/ws/",
					new BoxMetrics(1200.0, 4, 1.0, 0.5, 0.0, 98.4, 0.0, 0.0, 0.1, 0.0, 0.01, 0.05, 947732L, 512000L,
							14.52, 9.13, 20.0, 1000L, null, null, null, null))
			.withDataPort(7072)
			.withTraffic(List.of(new TrafficEntry(logId, "/publisher-x/a.ts", 200, 1000, null)));
	}

	private Message handle(String text) {
		return this.requests.handle(text, PEER).block(TIMEOUT);
	}

	private void assertAccepted(ExchangeRequest request) {
		Message reply = handle(this.codec.encode(request));
		assertThat(reply).as("reply to the unmutated heartbeat").isInstanceOf(ExchangeReply.class);
	}

	private Map<String, BoxState> states(List<String> boxIds) {
		Map<String, BoxState> states = new LinkedHashMap<>();
		for (String boxId : boxIds) {
			states.put(boxId,
					new BoxState(redis().hgetall(this.keys.exchange(boxId)), redis().zscore(this.keys.boxSet(), boxId),
							redis().hget(this.keys.authTimes(), boxId), redis().hget(this.keys.credentials(), boxId),
							redis().hgetall(this.keys.trafficTotals(boxId)),
							redis().xlen(this.keys.trafficHistory(boxId))));
		}
		return states;
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

	/** What the entrance holds of one box. */
	record BoxState(Map<String, String> exchange, Double boxSetScore, String authTime, String secret,
			Map<String, String> trafficTotals, long historyLength) {

	}

	/** What a mutation works with. */
	record Context(ExchangeRequest valid, NodeCredential credential, Instant signedAt, Instant registeredAt,
			String otherBoxId, String freshBoxId) {

	}

	/** A mutated message and the code it must be refused with. */
	record Mutated(String text, String expectedCode) {

	}

	enum Kind {

		SIGNATURE_CHARACTER, SIGNATURE_LAST_CHARACTER_SAME_BITS, SIGNATURE_FOREIGN_CHARACTER, SIGNATURE_WRONG_CASE,
		SIGNED_FIELD_CHANGED, TIME_SHIFTED, RESIGNED_OUTSIDE_WINDOW, RESIGNED_NOT_LATER, FIELD_DROPPED, NAME_WRONG_CASE,
		ID_WRONG_CASE, HUGE_VALUE, OTHER_ID

	}

	/**
	 * One mutation, drawn from a case's seed.
	 *
	 * @param kind what is mutated
	 * @param preRegistered whether the box heartbeated (validly) before
	 * @param choice which variant of the kind, and where
	 * @param amount how much, for shifts and sizes
	 * @param text some text, for changed values
	 */
	record Mutation(Kind kind, boolean preRegistered, int choice, long amount, String text) {

		private static final String UNAUTHENTICATED = "UNAUTHENTICATED";

		private static final String STALE_REQUEST = "STALE_REQUEST";

		Mutated apply(ObjectNode message, Context context) {
			String signature = message.get(MessageAuth.SIGNATURE_FIELD).asText();
			long time = context.signedAt().toEpochMilli();
			switch (this.kind) {
				case SIGNATURE_CHARACTER -> {
					int at = this.choice % signature.length();
					int replacement = (BASE64URL.indexOf(signature.charAt(at)) + 1 + (int) (this.amount % 63)) % 64;
					message.put(MessageAuth.SIGNATURE_FIELD, replace(signature, at, BASE64URL.charAt(replacement)));
					return mutated(message, UNAUTHENTICATED);
				}
				case SIGNATURE_LAST_CHARACTER_SAME_BITS -> {
					// Decodes to the same bytes: only the unused
					// low bits of the last character differ
					int last = BASE64URL.indexOf(signature.charAt(signature.length() - 1));
					int other = (last & ~3) | ((last + 1 + this.choice % 3) & 3);
					message.put(MessageAuth.SIGNATURE_FIELD,
							replace(signature, signature.length() - 1, BASE64URL.charAt(other)));
					return mutated(message, UNAUTHENTICATED);
				}
				case SIGNATURE_FOREIGN_CHARACTER -> {
					String foreign = "+/=.~ \u00e9\u0000\"\\";
					message.put(MessageAuth.SIGNATURE_FIELD, replace(signature, this.choice % signature.length(),
							foreign.charAt((int) (this.amount % foreign.length()))));
					return mutated(message, UNAUTHENTICATED);
				}
				case SIGNATURE_WRONG_CASE -> {
					StringBuilder swapped = new StringBuilder();
					signature.chars()
						.forEach((c) -> swapped.append(Character.isUpperCase(c) ? Character.toLowerCase((char) c)
								: Character.toUpperCase((char) c)));
					message.put(MessageAuth.SIGNATURE_FIELD, swapped.toString());
					return mutated(message, UNAUTHENTICATED);
				}
				case SIGNED_FIELD_CHANGED -> {
					switch (this.choice % 4) {
						case 0 -> message.put("IP", differentFrom("127.0.2.10",
								"127.0." + (this.amount % 256) + "." + (this.amount / 256 % 256), "127.0.2.11"));
						case 1 ->
							message.put("PORT", differentFrom("7070", Long.toString(1 + this.amount % 65535), "7071"));
						case 2 -> message.put("CONNECT_WS",
								message.get("CONNECT_WS").asText() + (this.text.isEmpty() ? "x" : this.text));
						default -> message.put("DATA_PORT",
								differentFrom("7072", Long.toString(1 + this.amount % 65535), "7073"));
					}
					return mutated(message, UNAUTHENTICATED);
				}
				case TIME_SHIFTED -> {
					if (this.choice % 4 == 0) {
						// The same instant, written otherwise:
						// the signature covers the text
						message.put(MessageAuth.TIME_FIELD, "0" + time);
					}
					else {
						long shift = 1 + this.amount % 10_000_000;
						message.put(MessageAuth.TIME_FIELD,
								Long.toString((this.choice % 2 == 0) ? time + shift : time - shift));
					}
					return mutated(message, UNAUTHENTICATED);
				}
				case RESIGNED_OUTSIDE_WINDOW -> {
					long off = MessageAuth.DEFAULT_WINDOW.toMillis() + 1_000 + this.amount;
					Instant at = Instant.ofEpochMilli((this.choice % 2 == 0) ? time + off : Math.max(0, time - off));
					return resigned(context, at, STALE_REQUEST);
				}
				case RESIGNED_NOT_LATER -> {
					Instant at = context.registeredAt().minusMillis(this.amount % 4_000);
					return resigned(context, at, STALE_REQUEST);
				}
				case FIELD_DROPPED -> {
					List<String> fields = List.of(MessageAuth.TIME_FIELD, MessageAuth.SIGNATURE_FIELD, "CONNECT_WS",
							"DATA_PORT", "IP", "PORT", "both");
					String field = fields.get(this.choice % fields.size());
					if (field.equals("both")) {
						message.remove(List.of(MessageAuth.TIME_FIELD, MessageAuth.SIGNATURE_FIELD));
					}
					else {
						message.remove(field);
					}
					return mutated(message,
							(field.equals("IP") || field.equals("PORT")) ? "MISSING_FIELD" : UNAUTHENTICATED);
				}
				case NAME_WRONG_CASE -> {
					List<String> names = (this.choice % 3 == 2)
							? List.of(MessageAuth.TIME_FIELD, MessageAuth.SIGNATURE_FIELD)
							: List.of((this.choice % 3 == 0) ? MessageAuth.TIME_FIELD : MessageAuth.SIGNATURE_FIELD);
					for (String name : names) {
						JsonNode value = message.remove(name);
						message.set((this.amount % 2 == 0) ? name.toLowerCase() : "Auth" + name.substring(4), value);
					}
					return mutated(message, UNAUTHENTICATED);
				}
				case ID_WRONG_CASE -> {
					message.put("ID", message.get("ID").asText().toUpperCase());
					return mutated(message, "BAD_ID");
				}
				case HUGE_VALUE -> {
					int size = (int) (this.amount % 100_000);
					switch (this.choice % 6) {
						case 0 -> message.put(MessageAuth.TIME_FIELD, "9".repeat(17 + size % 40));
						case 1 -> message.put(MessageAuth.SIGNATURE_FIELD, signature + "A".repeat(1 + size % 20_000));
						case 2 -> message.put("CONNECT_WS", message.get("CONNECT_WS").asText() + "/".repeat(1 + size));
						case 3 -> message.put("IP", "1".repeat(1_000 + size % 50_000));
						case 4 -> message.put(MessageAuth.TIME_FIELD, 1e300);
						default -> {
							message.put("PORT", "7".repeat(20 + size % 20));
							return mutated(message, "BAD_VALUE");
						}
					}
					return mutated(message, UNAUTHENTICATED);
				}
				case OTHER_ID -> {
					message.put("ID", (this.choice % 2 == 0) ? context.otherBoxId() : context.freshBoxId());
					return mutated(message, UNAUTHENTICATED);
				}
				default -> throw new IllegalStateException("Unknown mutation " + this.kind);
			}
		}

		private static Mutated mutated(ObjectNode message, String expectedCode) {
			return new Mutated(message.toString(), expectedCode);
		}

		private static Mutated resigned(Context context, Instant at, String expectedCode) {
			return new Mutated(new MessageCodec()
				.encode(MessageAuth.sign(MessageAuth.withoutReservedFields(context.valid()), context.credential(), at)),
					expectedCode);
		}

		private static String replace(String text, int at, char replacement) {
			return text.substring(0, at) + replacement + text.substring(at + 1);
		}

		private static String differentFrom(String original, String candidate, String fallback) {
			return candidate.equals(original) ? fallback : candidate;
		}

	}

}
