package io.dandelion.entrance.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.provider.Arguments;

import io.dandelion.entrance.TestCredentials;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile WebSocket frames for the entrance, by category, each with the
 * {@code ERROR_CODE} it must get, worked out from how the frame was made (never from the
 * entrance's answer). Every frame is one the entrance must refuse without changing
 * anything: a frame that proves a credential is broken in a field checked before the
 * proof, or proves it with a time the entrance no longer accepts.
 */
final class HostileMessages {

	/** The entrance's limit on a text message, in chars. */
	static final int MAX_CHARS = MessageCodec.DEFAULT_MAX_MESSAGE_CHARS;

	/** The longest field name Jackson reads ({@code StreamReadConstraints}). */
	static final int MAX_NAME_CHARS = 50_000;

	static final String INVALID_JSON = "INVALID_JSON";

	static final String NOT_AN_OBJECT = "NOT_AN_OBJECT";

	static final String TOO_LARGE = "TOO_LARGE";

	static final String MISSING_FIELD = "MISSING_FIELD";

	static final String EMPTY_FIELD = "EMPTY_FIELD";

	static final String BAD_ID = "BAD_ID";

	static final String BAD_VALUE = "BAD_VALUE";

	static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";

	static final String COMMAND_TYPE_MISMATCH = "COMMAND_TYPE_MISMATCH";

	static final String UNAUTHENTICATED = "UNAUTHENTICATED";

	static final String STALE_REQUEST = "STALE_REQUEST";

	private static final String HEX = "0123456789abcdef";

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	private static final Set<String> COMMANDS = Set.of("EXCHANGE", "SEARCH", "PUBLISH", "REPORT", "STORED");

	private static final List<String> DECIMAL_FIGURES = List.of("CPU-HZ", "CPU-USR", "CPU-SYS", "CPU-NIC", "CPU-IDLE",
			"CPU-IO", "CPU-IRQ", "CPU-SIRQ", "LOADAVG-1", "LOADAVG-5", "LOADAVG-15", "DISK-TOTAL", "DISK-AVAIL",
			"UPLINK-MBPS");

	private static final List<String> WHOLE_FIGURES = List.of("CPU-NUM", "MEM-TOTAL", "MEM-AVAIL", "SERVED-BPS",
			"NET-RX", "NET-TX", "STORE-USED", "STORE-MAX");

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private final ObjectMapper json = new ObjectMapper();

	private final MessageCodec codec = new MessageCodec();

	private final Fixture fixture;

	HostileMessages(Fixture fixture) {
		this.fixture = fixture;
	}

	/**
	 * What the entrance holds before the frames arrive, for frames that borrow it.
	 *
	 * @param entranceId the entrance's ID
	 * @param knownBox the credential of a live box
	 * @param credentialOnlyBox the credential of a box that never sent a heartbeat
	 * @param knownPublisher the credential of a publisher
	 * @param knownBoxAccepted the box's last accepted heartbeat, as sent
	 * @param knownPublisherAccepted the publisher's last accepted search, as sent
	 */
	record Fixture(String entranceId, NodeCredential knownBox, NodeCredential credentialOnlyBox,
			NodeCredential knownPublisher, String knownBoxAccepted, String knownPublisherAccepted) {

		String knownBoxId() {
			return this.knownBox.id().value();
		}

		String knownPublisherId() {
			return this.knownPublisher.id().value();
		}

	}

	/**
	 * One WebSocket frame: text, or binary.
	 *
	 * @param text the text of a text frame
	 * @param binary the bytes of a binary frame
	 */
	record Frame(String text, byte[] binary) {

		static Frame text(String text) {
			return new Frame(Objects.requireNonNull(text), null);
		}

		static Frame binary(byte[] bytes) {
			return new Frame(null, Objects.requireNonNull(bytes));
		}

		@Override
		public String toString() {
			String shown = (this.text != null) ? this.text : "<" + this.binary.length + " bytes>";
			return (shown.length() > 160) ? shown.substring(0, 160) + "… (" + shown.length() + " chars)" : shown;
		}

	}

	/**
	 * A frame and what the entrance must answer.
	 *
	 * @param category its category
	 * @param name its SeededCases name ({@code seed N} or {@code edge case N})
	 * @param frame the frame
	 * @param expectedCode the {@code ERROR_CODE} of the error reply it must get
	 * @param description how it was made
	 */
	record Case(Category category, String name, Frame frame, String expectedCode, String description) {

		@Override
		public String toString() {
			return this.category.label() + " [" + this.name + "] " + this.description + ": " + this.frame;
		}

	}

	/** The categories of hostile frames, with the seed and number of each. */
	enum Category {

		MALFORMED_JSON("ws: malformed JSON", 0x6a50_0001L, 1000),

		NOT_AN_OBJECT("ws: JSON that is not an object", 0x6a50_0002L, 200),

		DEEP_NESTING("ws: deep nesting", 0x6a50_0003L, 300),

		HUGE_STRINGS("ws: huge strings", 0x6a50_0004L, 100),

		OVER_THE_SIZE_LIMIT("ws: over the size limit", 0x6a50_0005L, 20),

		WRONG_TYPES("ws: wrong types", 0x6a50_0006L, 1200),

		ID_SHAPES("ws: IDs of every shape", 0x6a50_0007L, 1000),

		UNKNOWN_COMMANDS("ws: unknown commands", 0x6a50_0008L, 400),

		TYPE_COMMAND_PAIRS("ws: wrong TYPE/COMMAND pairs", 0x6a50_0009L, 400),

		FORGED_PROOFS("ws: forged or mutated proofs", 0x6a50_000aL, 1000),

		STALE_TIMES("ws: stale or replayed proofs", 0x6a50_000bL, 600),

		BAD_REPORTS("ws: REPORTs with bad fields", 0x6a50_000cL, 1000),

		BINARY_FRAMES("ws: binary frames", 0x6a50_000dL, 300),

		ONE_SHOT("ws: one-shot connections", 0x6a50_000eL, 40);

		private final String label;

		private final long seed;

		private final int tries;

		Category(String label, long seed, int tries) {
			this.label = label;
			this.seed = seed;
			this.tries = tries;
		}

		String label() {
			return this.label;
		}

	}

	/** A frame as a generator makes it. */
	private record Made(Frame frame, String expectedCode, String description) {

	}

	/**
	 * The cases of every category sent on persistent connections, interleaved so that
	 * each batch mixes them.
	 * @return the cases
	 */
	List<Case> persistentCases() {
		List<List<Case>> byCategory = new ArrayList<>();
		for (Category category : Category.values()) {
			if (category != Category.ONE_SHOT) {
				byCategory.add(cases(category));
			}
		}
		List<Case> interleaved = new ArrayList<>();
		for (int i = 0; interleaved.size() < byCategory.stream().mapToInt(List::size).sum(); i++) {
			for (List<Case> cases : byCategory) {
				if (i < cases.size()) {
					interleaved.add(cases.get(i));
				}
			}
		}
		return interleaved;
	}

	/**
	 * The cases of one category.
	 * @param category the category
	 * @return its cases, in seed order
	 */
	List<Case> cases(Category category) {
		Function<Gen, Made> generator = generator(category);
		return SeededCases
			.of(category.seed, category.tries, edgeCases(category), (gen) -> arguments(generator.apply(gen)))
			.map((arguments) -> {
				Made made = (Made) arguments.get()[0];
				String name = (arguments instanceof Arguments.ArgumentSet set) ? set.getName() : "?";
				return new Case(category, name, made.frame(), made.expectedCode(), made.description());
			})
			.toList();
	}

	private Function<Gen, Made> generator(Category category) {
		return switch (category) {
			case MALFORMED_JSON -> this::malformedJson;
			case NOT_AN_OBJECT -> this::notAnObject;
			case DEEP_NESTING -> this::deepNesting;
			case HUGE_STRINGS -> this::hugeString;
			case OVER_THE_SIZE_LIMIT -> this::overTheLimit;
			case WRONG_TYPES -> this::wrongType;
			case ID_SHAPES -> this::idShape;
			case UNKNOWN_COMMANDS -> this::unknownCommand;
			case TYPE_COMMAND_PAIRS -> this::typeCommandPair;
			case FORGED_PROOFS -> this::forgedProof;
			case STALE_TIMES -> this::staleTime;
			case BAD_REPORTS -> this::badReport;
			case BINARY_FRAMES -> this::binaryFrame;
			case ONE_SHOT -> (gen) -> generator(
					gen.oneOf(Category.MALFORMED_JSON, Category.WRONG_TYPES, Category.ID_SHAPES, Category.FORGED_PROOFS,
							Category.BAD_REPORTS, Category.BINARY_FRAMES, Category.TYPE_COMMAND_PAIRS))
				.apply(gen);
		};
	}

	private List<Arguments> edgeCases(Category category) {
		return switch (category) {
			// The limit itself is fine, one char more is not
			case OVER_THE_SIZE_LIMIT -> List.of(arguments(padded(MAX_CHARS, 'x')),
					arguments(padded(MAX_CHARS + 1, 'x')), arguments(padded(MAX_CHARS + 1, '\u20ac')));
			case DEEP_NESTING -> List.of(arguments(nestedArrays(1000)), arguments(nestedArrays(1001)));
			case NOT_AN_OBJECT -> List.of(arguments(new Made(Frame.text(""), NOT_AN_OBJECT, "empty text")));
			case BINARY_FRAMES -> List.of(arguments(new Made(Frame.binary(new byte[0]), INVALID_JSON, "empty")));
			default -> List.of();
		};
	}

	// Malformed JSON: a well-formed message broken so that no JSON reader takes it

	private Made malformedJson(Gen gen) {
		String base = text(unsignedMessage(gen));
		int kind = gen.intBetween(0, 12);
		String broken;
		String how;
		switch (kind) {
			case 0 -> {
				int at = gen.intBetween(1, base.length() - 1);
				broken = base.substring(0, at);
				how = "cut after " + at + " chars";
			}
			case 1 -> {
				String tail = gen.oneOf("x", "}", "{}", ",", "[]", " 1", "\"s\"", "null", "]", ":", " {\"ID\":1}");
				broken = base + tail;
				how = "followed by " + tail;
			}
			case 2 -> {
				broken = base.replace('"', '\'');
				how = "single quotes";
			}
			case 3 -> {
				broken = gen.bool() ? base.replaceFirst("\":", "\"") : base.replaceFirst("\",\"", "\"\"");
				how = "a colon or comma dropped";
			}
			case 4 -> {
				broken = base.substring(0, base.length() - 1) + ",}";
				how = "trailing comma";
			}
			case 5 -> {
				String comment = gen.oneOf("/*x*/", "// x\n", "#x\n");
				broken = comment + base;
				how = "a comment first";
			}
			case 6 -> {
				String token = gen.oneOf("NaN", "Infinity", "-Infinity", "undefined", "+1", "01", "0x1F", ".5", "1.",
						"TRUE", "nul");
				broken = base.substring(0, base.length() - 1) + ",\"X\":" + token + "}";
				how = "value " + token;
			}
			case 7 -> {
				char control = (char) gen.intBetween(0, 0x1f);
				broken = base.replaceFirst("\"IP\":\"", "\"IP\":\"" + control);
				how = "raw control char " + (int) control;
			}
			case 8 -> {
				String escape = gen.oneOf("\\q", "\\u12", "\\u12zz", "\\x41", "\\", "\\U0041");
				broken = base.substring(0, base.length() - 1) + ",\"X\":\"a" + escape + "\"}";
				how = "escape " + escape;
			}
			case 9 -> {
				String key = gen.oneOf("ID", "IP", "TYPE", "COMMAND");
				broken = base.substring(0, base.length() - 1) + ",\"" + key + "\":\"" + gen.string(LETTERS, 1, 8)
						+ "\"}";
				how = "duplicate " + key;
			}
			case 10 -> {
				String prefix = gen.oneOf("\ufeff", "\u200b", "\u00a0");
				broken = prefix + base;
				how = "invisible char first";
			}
			case 11 -> {
				broken = base.replaceFirst("\"ID\"", "ID");
				how = "unquoted key";
			}
			default -> {
				broken = base.substring(0, base.length() - 1) + "]";
				how = "closed with ]";
			}
		}
		return new Made(Frame.text(broken), INVALID_JSON, how);
	}

	// JSON that is not an object

	private Made notAnObject(Gen gen) {
		JsonNode value = switch (gen.intBetween(0, 7)) {
			case 0 -> nodes.numberNode(gen.anyLong());
			case 1 -> nodes.numberNode(gen.anyDouble());
			case 2 -> nodes.textNode(gen.anyString(200));
			case 3 -> nodes.booleanNode(gen.bool());
			case 4 -> nodes.nullNode();
			case 5 -> nodes.arrayNode().add(unsignedMessage(gen));
			case 6 -> {
				var array = nodes.arrayNode();
				gen.listOf(0, 8, (g) -> g.anyString(10)).forEach(array::add);
				yield array;
			}
			default -> nodes.arrayNode();
		};
		String text = text(value);
		if (gen.bool()) {
			text = gen.oneOf(" ", "\n", "\t", "\r\n") + text + gen.oneOf("", " ", "\n");
		}
		return new Made(Frame.text(text), NOT_AN_OBJECT, value.getNodeType().toString());
	}

	// Deep nesting: Jackson stops at 1000 levels

	private Made deepNesting(Gen gen) {
		int depth = gen.bool() ? 1000 + gen.intBetween(-3, 3) : gen.intBetween(1, 3000);
		return switch (gen.intBetween(0, 3)) {
			case 0 -> nestedArrays(depth);
			case 1 -> {
				String text = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
				yield new Made(Frame.text(text), (depth <= 1000) ? MISSING_FIELD : INVALID_JSON,
						depth + " nested objects");
			}
			default -> {
				// Inside a field the entrance ignores, one level below the message
				ObjectNode message = gen.bool() ? search(strangerPublisher(gen)) : exchange(strangerBox(gen));
				String base = text(message);
				String text = base.substring(0, base.length() - 1) + ",\"X\":" + "[".repeat(depth) + "]".repeat(depth)
						+ "}";
				yield new Made(Frame.text(text), (depth + 1 <= 1000) ? UNAUTHENTICATED : INVALID_JSON,
						depth + " nested arrays in a field of " + message.get("COMMAND").asText());
			}
		};
	}

	private static Made nestedArrays(int depth) {
		return new Made(Frame.text("[".repeat(depth) + "]".repeat(depth)),
				(depth <= 1000) ? NOT_AN_OBJECT : INVALID_JSON, depth + " nested arrays");
	}

	// Huge strings, in every place a string goes

	private Made hugeString(Gen gen) {
		int length = gen.chance(0.1) ? 1_000_000 : gen.oneOf(1_000, 4_000, 16_000, 49_999, 50_000, 64_000, 256_000);
		String chunk = gen.bool() ? gen.anyString(64) : gen.string(LETTERS, 1, 64);
		if (chunk.isEmpty()) {
			chunk = "x";
		}
		String huge = chunk.repeat(length / chunk.length() + 1).substring(0, length);
		ObjectNode message;
		String expected;
		String where = gen.oneOf("ID", "IP", "value", "key", "COMMAND", "TYPE", "FILE_PATH");
		switch (where) {
			case "ID" -> {
				message = search(strangerPublisher(gen));
				message.put("ID", huge);
				expected = BAD_ID;
			}
			case "IP" -> {
				message = search(strangerPublisher(gen));
				message.put("IP", huge);
				expected = UNAUTHENTICATED;
			}
			case "value" -> {
				message = search(strangerPublisher(gen));
				message.put("X", huge);
				expected = UNAUTHENTICATED;
			}
			case "key" -> {
				message = search(strangerPublisher(gen));
				message.put("X" + huge, "x");
				// Jackson reads no field name longer than 50 000 chars
				expected = (1 + length > MAX_NAME_CHARS) ? INVALID_JSON : UNAUTHENTICATED;
			}
			case "COMMAND" -> {
				message = search(strangerPublisher(gen));
				message.put("COMMAND", "X" + huge);
				expected = UNKNOWN_COMMAND;
			}
			case "TYPE" -> {
				message = search(strangerPublisher(gen));
				message.put("PORT", 7070);
				message.put("TYPE", "X" + huge);
				expected = BAD_VALUE;
			}
			default -> {
				message = report(this.fixture.knownPublisherId(), this.fixture.knownBoxId());
				message.put("FILE_PATH", "/" + huge);
				expected = (1 + length > 1024) ? BAD_VALUE : UNAUTHENTICATED;
			}
		}
		String text = text(message);
		// Escapes may make the text longer than the limit, which is then what counts
		if (text.getBytes(StandardCharsets.UTF_8).length > 4_000_000) {
			return hugeString(gen);
		}
		return new Made(Frame.text(text), (text.length() > MAX_CHARS) ? TOO_LARGE : expected,
				"a " + length + "-char " + where + " (" + text.length() + " chars in all)");
	}

	// Over the 1 MiB limit, but under the frame limit

	private Made overTheLimit(Gen gen) {
		int length = gen.intBetween(MAX_CHARS + 1, MAX_CHARS + 200_000);
		return padded(length, gen.oneOf('x', '\u00e9', '\u20ac'));
	}

	private Made padded(int length, char pad) {
		String base = text(search(this.fixture.knownPublisherId()));
		String prefix = base.substring(0, base.length() - 1) + ",\"PAD\":\"";
		String text = prefix + String.valueOf(pad).repeat(length - prefix.length() - 2) + "\"}";
		return new Made(Frame.text(text), (text.length() > MAX_CHARS) ? TOO_LARGE : UNAUTHENTICATED,
				text.length() + " chars of " + pad);
	}

	// Wrong types: each field with a value of a shape it may not have

	private Made wrongType(Gen gen) {
		int kind = gen.intBetween(0, 9);
		ObjectNode message;
		String field;
		JsonNode value;
		String expected;
		switch (kind) {
			case 0 -> {
				message = exchange(strangerBox(gen));
				field = "PORT";
				int shape = gen.intBetween(0, 14);
				value = switch (shape) {
					case 0 -> nodes.numberNode(0);
					case 1 -> nodes.textNode("");
					case 2 -> nodes.booleanNode(false);
					case 3 -> nodes.nullNode();
					case 4 -> nodes.arrayNode();
					case 5 -> nodes.objectNode();
					case 6 -> nodes.arrayNode().add(7070);
					case 7 -> nodes.objectNode().put("a", 1);
					case 8 -> nodes.booleanNode(true);
					case 9 -> nodes.textNode(gen.string(LETTERS, 1, 20));
					case 10 -> nodes.textNode(gen.oneOf("0", "70000", "-1", "7070.5", "1e3", "NaN", " ", "0x1F"));
					case 11 -> nodes.numberNode(gen.oneOf(70000, -1, 65536, Integer.MAX_VALUE));
					case 12 -> nodes.numberNode(gen.intBetween(1, 65534) + 0.5);
					case 13 -> nodes.textNode(Long.toString(gen.longBetween(65536, Long.MAX_VALUE)));
					default -> null;
				};
				expected = (shape <= 5) ? EMPTY_FIELD : (shape == 14) ? MISSING_FIELD : BAD_VALUE;
			}
			case 1 -> {
				message = exchange(strangerBox(gen));
				field = "DATA_PORT";
				value = gen.oneOf(nodes.textNode("x"), nodes.textNode("0"), nodes.numberNode(0),
						nodes.textNode("70000"), nodes.numberNode(70000), nodes.arrayNode(), nodes.objectNode(),
						nodes.arrayNode().add(1), nodes.booleanNode(true), nodes.booleanNode(false),
						nodes.textNode("1.5"), nodes.textNode("-7"), nodes.textNode(gen.string(LETTERS, 1, 9)));
				expected = BAD_VALUE;
			}
			case 2 -> {
				message = exchange(strangerBox(gen));
				field = gen.oneOf(DECIMAL_FIGURES);
				value = gen.oneOf(nodes.textNode(gen.string(LETTERS, 1, 9)), nodes.textNode("NaN"),
						nodes.textNode("Infinity"), nodes.textNode("-Infinity"), nodes.textNode("1,5"),
						nodes.arrayNode(), nodes.objectNode(), nodes.arrayNode().add(1), nodes.booleanNode(true),
						nodes.booleanNode(false));
				expected = BAD_VALUE;
			}
			case 3 -> {
				message = exchange(strangerBox(gen));
				field = gen.oneOf(WHOLE_FIGURES);
				value = gen.oneOf(nodes.textNode(gen.string(LETTERS, 1, 9)), nodes.textNode("1e3"),
						nodes.textNode("NaN"), nodes.textNode("99999999999999999999999999"), nodes.arrayNode(),
						nodes.objectNode(), nodes.booleanNode(true));
				expected = BAD_VALUE;
			}
			case 4 -> {
				message = exchange(strangerBox(gen));
				field = gen.oneOf("CONNECT_WS", "GEOIP-LOC", "GEOIP-CITY", "RANK_SCORE", "RANK_REASONS");
				value = switch (field) {
					case "GEOIP-LOC" -> gen.oneOf(nodes.textNode("x"), nodes.textNode("a,b"), nodes.textNode("1,2,3"),
							nodes.textNode("91,0"), nodes.textNode("0,181"), nodes.arrayNode());
					case "RANK_SCORE" -> nodes.textNode(gen.string(LETTERS, 1, 9));
					case "RANK_REASONS" -> nodes.textNode(gen.string(LETTERS, 1, 9));
					default -> gen.oneOf(nodes.arrayNode(), nodes.objectNode(), nodes.arrayNode().add("ws://x/"));
				};
				expected = BAD_VALUE;
			}
			case 5 -> {
				message = exchange(strangerBox(gen));
				boolean validLogId = gen.bool();
				String logId = validLogId ? "log-" + gen.intBetween(0, 999)
						: gen.oneOf("log 1", "a/b", "../x", "a".repeat(65), "log-\u00e9");
				field = message.get("ID").asText() + ":TRAFFIC_FLOW:" + logId;
				ObjectNode entry = nodes.objectNode()
					.put("url", "/publisher-x/a.ts")
					.put("status", "200")
					.put("size", "1");
				// An entry without a field is refused for that
				// before its log ID is looked at
				int shape = gen.intBetween(0, validLogId ? 6 : 5);
				value = switch (shape) {
					case 0 -> nodes.numberNode(7);
					case 1 -> nodes.textNode("flat");
					case 2 -> nodes.arrayNode();
					case 3 -> entry.put("status", gen.string(LETTERS, 1, 5));
					case 4 -> entry.put("size", gen.string(LETTERS, 1, 5));
					case 5 -> entry.set("url", nodes.arrayNode());
					default -> {
						entry.remove(gen.oneOf("url", "status", "size"));
						yield entry;
					}
				};
				expected = (shape == 6) ? MISSING_FIELD : BAD_VALUE;
			}
			case 6 -> {
				message = search(strangerPublisher(gen));
				field = gen.oneOf("AMOUNT", "PORT");
				value = gen.oneOf(nodes.textNode(gen.string(LETTERS, 1, 9)), nodes.booleanNode(true),
						nodes.booleanNode(false), nodes.objectNode(), nodes.arrayNode(), nodes.arrayNode().add(1),
						nodes.numberNode(1e40), nodes.numberNode(99_999_999_999L), nodes.textNode("1.5"));
				expected = BAD_VALUE;
			}
			case 7 -> {
				boolean isSearch = gen.bool();
				message = isSearch ? search(strangerPublisher(gen))
						: report(this.fixture.knownPublisherId(), this.fixture.knownBoxId());
				// A SEARCH ignores fields it does not know
				field = isSearch ? gen.oneOf("AUTH_TIME", "AUTH_SIGNATURE")
						: gen.oneOf("AUTH_TIME", "AUTH_SIGNATURE", "BOX_ID", "FILE_PATH", "REASON");
				value = gen.oneOf(nodes.objectNode(), nodes.arrayNode(), nodes.arrayNode().add("x"),
						nodes.objectNode().put("a", 1));
				expected = BAD_VALUE;
			}
			case 8 -> {
				// The sender's IP: the original's "falsy" rule
				message = gen.oneOf(exchange(strangerBox(gen)), search(strangerPublisher(gen)));
				field = "IP";
				int shape = gen.intBetween(0, 9);
				value = switch (shape) {
					case 0 -> nodes.nullNode();
					case 1 -> nodes.textNode("");
					case 2 -> nodes.numberNode(0);
					case 3 -> nodes.numberNode(0.0);
					case 4 -> nodes.booleanNode(false);
					case 5 -> nodes.arrayNode();
					case 6 -> nodes.objectNode();
					case 7 -> nodes.arrayNode().add("127.0.0.1");
					case 8 -> nodes.objectNode().put("ip", "127.0.0.1");
					default -> null;
				};
				expected = (shape <= 6) ? EMPTY_FIELD : (shape <= 8) ? BAD_VALUE : MISSING_FIELD;
			}
			default -> {
				// Shapes the protocol takes as text: refused later, for the proof
				message = gen.bool() ? search(strangerPublisher(gen))
						: report(this.fixture.knownPublisherId(), this.fixture.knownBoxId());
				field = gen.oneOf("IP", "REPORT".equals(message.get("COMMAND").asText()) ? "FILE_PATH" : "IP");
				value = gen.oneOf(nodes.numberNode(gen.intBetween(1, 1_000_000)), nodes.booleanNode(true),
						nodes.numberNode(gen.doubleBetween(0.5, 1e9)));
				expected = UNAUTHENTICATED;
			}
		}
		if (value == null) {
			message.remove(field);
		}
		else {
			message.set(field, value);
		}
		return new Made(Frame.text(text(message)), expected, message.get("COMMAND").asText() + " with " + shorten(field)
				+ "=" + ((value != null) ? shorten(text(value)) : "(absent)"));
	}

	// IDs of every shape

	private Made idShape(Gen gen) {
		ObjectNode message = switch (gen.intBetween(0, 2)) {
			case 0 -> exchange(strangerBox(gen));
			case 1 -> search(strangerPublisher(gen));
			default -> report(strangerPublisher(gen), this.fixture.knownBoxId());
		};
		Role role = "BOX".equals(message.get("TYPE").asText()) ? Role.BOX : Role.PUBLISHER;
		int shape = gen.intBetween(0, 9);
		JsonNode id;
		String expected;
		switch (shape) {
			case 0 -> {
				id = null;
				expected = MISSING_FIELD;
			}
			case 1 -> {
				id = gen.oneOf(nodes.nullNode(), nodes.textNode(""), nodes.numberNode(0), nodes.numberNode(0.0),
						nodes.booleanNode(false), nodes.objectNode(), nodes.arrayNode());
				expected = EMPTY_FIELD;
			}
			case 2 -> {
				id = gen.oneOf(nodes.arrayNode().add(NodeId.random(role).value()),
						nodes.objectNode().put("ID", NodeId.random(role).value()));
				expected = BAD_VALUE;
			}
			case 3 -> {
				id = gen.oneOf(nodes.booleanNode(true), nodes.numberNode(gen.intBetween(1, Integer.MAX_VALUE)),
						nodes.numberNode(gen.doubleBetween(0.001, 1e6)));
				expected = BAD_ID;
			}
			default -> {
				id = nodes.textNode(badId(gen, role));
				expected = BAD_ID;
			}
		}
		if (id == null) {
			message.remove("ID");
		}
		else {
			message.set("ID", id);
		}
		return new Made(Frame.text(text(message)), expected,
				message.get("COMMAND").asText() + " with ID=" + ((id != null) ? shorten(text(id)) : "(absent)"));
	}

	/** A text that is not an ID of the role, though it may look like one. */
	private String badId(Gen gen, Role role) {
		String prefix = role.idPrefix();
		String hex32 = hex(gen, 32);
		String other = gen.oneOf(Role.values()).idPrefix();
		String id = switch (gen.intBetween(0, 12)) {
			case 0 -> prefix + hex(gen, gen.oneOf(gen.intBetween(0, 31), gen.intBetween(33, 64)));
			case 1 -> prefix + hex32.toUpperCase(Locale.ROOT).replace('0', 'A');
			case 2 -> (other.equals(prefix) ? "entrance-" : other) + hex32;
			case 3 -> prefix.replace("-", gen.oneOf("", "_", ".", "--", ":")) + hex32;
			case 4 -> {
				int at = gen.intBetween(0, 31);
				String odd = gen.oneOf("g", "z", "G", " ", "\u0663", "\uff10", "-", "\u0000", "%");
				yield prefix + hex32.substring(0, at) + odd + hex32.substring(at + 1);
			}
			case 5 -> gen.oneOf(" " + prefix + hex32, prefix + hex32 + "\n", prefix + hex32 + "\u0000",
					prefix + hex32 + " ", "\t" + prefix + hex32);
			case 6 -> prefix + gen.oneOf("../../etc/passwd", hex(gen, 16) + "/" + hex(gen, 15), "..", "%2e%2e",
					hex(gen, 16) + "\\" + hex(gen, 15));
			case 7 -> prefix + hex(gen, gen.intBetween(33, 5000));
			case 8 -> {
				String text = gen.anyString(100);
				yield text.isEmpty() ? "x" : text;
			}
			case 9 -> this.fixture.entranceId();
			case 10 -> prefix.toUpperCase(Locale.ROOT) + hex32;
			case 11 -> prefix.replace("o", "\u043e").replace("e", "\u0435").replace("u", "\u057d") + hex32;
			default -> prefix + hex32 + gen.oneOf("0", "a", "x", ";", ":TRAFFIC_FLOW:x");
		};
		// Another role's ID is a bad ID too, but it must not be this role's
		return (id.startsWith(prefix) && NodeId.isValid(id)) ? id + "x" : id;
	}

	// Unknown commands

	private Made unknownCommand(Gen gen) {
		ObjectNode message = sender(gen);
		int shape = gen.intBetween(0, 6);
		JsonNode command;
		String expected;
		switch (shape) {
			case 0 -> {
				String text = gen.anyString(40);
				command = nodes.textNode(COMMANDS.contains(text) ? text + "x" : text);
				expected = UNKNOWN_COMMAND;
			}
			case 1 -> {
				String known = gen.oneOf(List.copyOf(COMMANDS));
				command = nodes.textNode(gen.oneOf(known.toLowerCase(Locale.ROOT), " " + known, known + " ",
						known + "\n", known + "\u0000", known.charAt(0) + known.substring(1).toLowerCase(Locale.ROOT),
						known + "S", known.substring(1)));
				expected = UNKNOWN_COMMAND;
			}
			case 2 -> {
				command = gen.oneOf(nodes.numberNode(gen.anyInt()), nodes.booleanNode(gen.bool()),
						nodes.numberNode(gen.anyDouble()));
				expected = UNKNOWN_COMMAND;
			}
			case 3 -> {
				command = gen.oneOf(nodes.textNode(gen.string(LETTERS, 1, 20).toUpperCase(Locale.ROOT) + "_X"),
						nodes.textNode("DELETE"), nodes.textNode("HELLO"), nodes.textNode("ERROR"),
						nodes.textNode("ACCEPTED"), nodes.textNode(""));
				expected = UNKNOWN_COMMAND;
			}
			case 4 -> {
				command = nodes.nullNode();
				expected = MISSING_FIELD;
			}
			case 5 -> {
				command = null;
				expected = MISSING_FIELD;
			}
			default -> {
				command = gen.oneOf(nodes.arrayNode(), nodes.objectNode(), nodes.arrayNode().add("SEARCH"),
						nodes.objectNode().put("COMMAND", "SEARCH"));
				expected = BAD_VALUE;
			}
		}
		if (command == null) {
			message.remove("COMMAND");
		}
		else {
			message.set("COMMAND", command);
		}
		return new Made(Frame.text(text(message)), expected, message.get("TYPE").asText() + " sends COMMAND="
				+ ((command != null) ? shorten(text(command)) : "(absent)"));
	}

	// Wrong TYPE/COMMAND pairs, and TYPEs that are none

	private Made typeCommandPair(Gen gen) {
		int kind = gen.intBetween(0, 5);
		if (kind <= 2) {
			Role role = gen.oneOf(Role.values());
			List<String> refused = switch (role) {
				case BOX -> List.of("SEARCH", "PUBLISH", "REPORT", "STORED");
				case PUBLISHER -> List.of("EXCHANGE", "PUBLISH", "STORED");
				case ENTRANCE -> List.of("EXCHANGE", "SEARCH", "PUBLISH", "REPORT", "STORED");
			};
			String command = gen.oneOf(refused);
			ObjectNode message = sender(role, gen);
			message.put("COMMAND", command);
			if (gen.bool() && !"STORED".equals(command)) {
				message.put("MESSAGE", "ACCEPTED");
			}
			return new Made(Frame.text(text(message)), COMMAND_TYPE_MISMATCH, command + " from a " + role);
		}
		if (kind == 3) {
			// Replies that carry no sender: never a request to an entrance
			ObjectNode reply = switch (gen.intBetween(0, 2)) {
				case 0 -> nodes.objectNode().put("COMMAND", "STORED").put("FILE_PATH", "/" + gen.string(LETTERS, 1, 9));
				case 1 -> nodes.objectNode().put("ERROR", gen.anyString(30)).put("ERROR_CODE", "BAD_VALUE");
				default -> {
					ObjectNode anonymous = nodes.objectNode().put("MESSAGE", "ACCEPTED").put("COMMAND", "EXCHANGE");
					anonymous.putArray("ENTRANCE_URLS").add("http://127.0.0.1:7070/dandelion/ws/");
					yield anonymous;
				}
			};
			return new Made(Frame.text(text(reply)), COMMAND_TYPE_MISMATCH, "a reply without sender: " + text(reply));
		}
		ObjectNode message = sender(gen);
		message.put("PORT", "7070");
		if (kind == 4) {
			// A TYPE that is none of the roles
			int shape = gen.intBetween(0, 3);
			JsonNode type = switch (shape) {
				case 0 -> gen.oneOf(nodes.textNode(""), nodes.nullNode(), nodes.numberNode(0), nodes.booleanNode(false),
						nodes.arrayNode(), nodes.objectNode());
				case 1 -> null;
				case 2 -> gen.oneOf(nodes.arrayNode().add("BOX"), nodes.objectNode().put("TYPE", "BOX"));
				default -> {
					String role = message.get("TYPE").asText();
					yield gen.oneOf(nodes.textNode(role.toLowerCase(Locale.ROOT)), nodes.textNode(role + " "),
							nodes.textNode("CLIENT"), nodes.textNode("VIEWER"), nodes.numberNode(7),
							nodes.booleanNode(true),
							nodes.textNode(gen.string(LETTERS, 1, 12).toUpperCase(Locale.ROOT) + "_"));
				}
			};
			if (type == null) {
				message.remove("TYPE");
			}
			else {
				message.set("TYPE", type);
			}
			String expected = switch (shape) {
				case 0 -> EMPTY_FIELD;
				case 1 -> MISSING_FIELD;
				default -> BAD_VALUE;
			};
			return new Made(Frame.text(text(message)), expected,
					"TYPE=" + ((type != null) ? shorten(text(type)) : "(absent)"));
		}
		// A TYPE whose prefix the ID does not have
		Role claimed = gen.oneOf(Role.values());
		String id = message.get("ID").asText();
		if (id.startsWith(claimed.idPrefix())) {
			claimed = (claimed == Role.BOX) ? Role.PUBLISHER : Role.BOX;
		}
		message.put("TYPE", claimed.wireType());
		return new Made(Frame.text(text(message)), BAD_ID, "TYPE " + claimed + " for " + id);
	}

	// Forged or mutated proofs: the signature never matches

	private Made forgedProof(Gen gen) {
		int kind = gen.intBetween(0, 2);
		NodeCredential owner = (kind == 0) ? this.fixture.knownBox() : this.fixture.knownPublisher();
		Instant now = TestCredentials.nextSigningTime();
		int shape = gen.intBetween(0, 9);
		ObjectNode message;
		String how;
		switch (shape) {
			case 0 -> {
				message = signed(kind, NodeCredential.random(owner.id()), now, gen);
				how = "signed with another secret";
			}
			case 1 -> {
				NodeId stranger = NodeId.random(owner.id().role());
				message = signed(kind, NodeCredential.random(stranger), now, gen);
				how = "signed for an ID without credential";
			}
			case 2 -> {
				message = signed(kind, owner, now, gen);
				how = mutateSignedField(kind, message, gen);
			}
			case 3 -> {
				message = signed(kind, owner, now, gen);
				String signature = message.get(MessageAuth.SIGNATURE_FIELD).asText();
				int at = gen.intBetween(0, signature.length() - 1);
				char replacement = BASE64URL.charAt(gen.intBetween(0, BASE64URL.length() - 1));
				if (replacement == signature.charAt(at)) {
					replacement = (replacement == 'A') ? 'B' : 'A';
				}
				message.put(MessageAuth.SIGNATURE_FIELD,
						signature.substring(0, at) + replacement + signature.substring(at + 1));
				how = "signature char " + at + " changed";
			}
			case 4 -> {
				message = signed(kind, owner, now, gen);
				String signature = message.get(MessageAuth.SIGNATURE_FIELD).asText();
				String changed = switch (gen.intBetween(0, 3)) {
					case 0 -> signature.substring(0, gen.intBetween(0, 42));
					case 1 -> signature + gen.string(BASE64URL, 1, 60);
					case 2 -> signature + "=";
					default -> gen.string(BASE64URL, 0, 100);
				};
				if (changed.equals(signature)) {
					changed = signature + "A";
				}
				message.put(MessageAuth.SIGNATURE_FIELD, changed);
				how = "signature of " + changed.length() + " chars";
			}
			case 5 -> {
				message = signed(kind, owner, now, gen);
				String signature = message.get(MessageAuth.SIGNATURE_FIELD).asText();
				int at = gen.intBetween(0, 42);
				String odd = gen.oneOf("+", "/", "=", " ", ".", "\u00e9", "~", "\u0000");
				message.put(MessageAuth.SIGNATURE_FIELD,
						signature.substring(0, at) + odd + signature.substring(at + 1));
				how = "signature with " + odd;
			}
			case 6 -> {
				message = signed(kind, owner, now, gen);
				long shift = gen.longBetween(1, 100_000) * (gen.bool() ? 1 : -1);
				message.put(MessageAuth.TIME_FIELD, Long.toString(now.toEpochMilli() + shift));
				how = "time shifted by " + shift + " ms";
			}
			case 7 -> {
				message = signed(kind, owner, now, gen);
				String time = Long.toString(now.toEpochMilli());
				String changed = gen.oneOf("", "soon", "-1", "1.5", " " + time, time + " ", time + "0000",
						time.replace('1', '\uff11'), "0x" + time, "1e12", "+" + time, time + "\u0000");
				message.put(MessageAuth.TIME_FIELD, changed);
				how = "time " + shorten(changed);
			}
			case 8 -> {
				message = signed(kind, owner, now, gen);
				String dropped = gen.oneOf(MessageAuth.TIME_FIELD, MessageAuth.SIGNATURE_FIELD);
				message.remove(dropped);
				how = "without " + dropped;
			}
			default -> {
				// A signature the publisher made for its SEARCH, moved to another request
				JsonNode accepted = read(this.fixture.knownPublisherAccepted());
				message = signed(kind, owner, now, gen);
				message.set(MessageAuth.TIME_FIELD, accepted.get(MessageAuth.TIME_FIELD));
				message.set(MessageAuth.SIGNATURE_FIELD, accepted.get(MessageAuth.SIGNATURE_FIELD));
				how = "the proof of another request";
				if (kind == 1 && message.equals(accepted)) {
					message.put("AMOUNT", 3);
				}
			}
		}
		return new Made(Frame.text(text(message)), UNAUTHENTICATED, message.get("COMMAND").asText() + ": " + how);
	}

	/** Changes one field the proof covers, always to another value. */
	private String mutateSignedField(int kind, ObjectNode message, Gen gen) {
		String field = switch (kind) {
			case 0 -> gen.oneOf("ID", "IP", "PORT", "CONNECT_WS", "DATA_PORT");
			case 1 -> gen.oneOf("IP", "PORT", "AMOUNT");
			default -> gen.oneOf("IP", "PORT", "BOX_ID", "FILE_PATH");
		};
		JsonNode before = message.get(field);
		String was = (before != null) ? before.asText() : "";
		JsonNode after = switch (field) {
			case "ID" -> nodes.textNode(this.fixture.credentialOnlyBox().id().value());
			case "IP" -> nodes.textNode("127.0." + gen.intBetween(0, 255) + "." + gen.intBetween(0, 255));
			case "PORT", "DATA_PORT" -> (kind == 0) ? nodes.textNode(Integer.toString(gen.intBetween(1, 65535)))
					: nodes.numberNode(gen.intBetween(1, 65535));
			case "CONNECT_WS" -> nodes.textNode("http://127.0.9.9:7070/" + gen.string(LETTERS, 1, 9) + "/");
			case "AMOUNT" -> nodes.numberNode(gen.intBetween(1, 100));
			case "BOX_ID" -> nodes.textNode(this.fixture.knownBoxId().equals(before.asText())
					? this.fixture.credentialOnlyBox().id().value() : this.fixture.knownBoxId());
			default -> nodes.textNode("/live/" + gen.string(LETTERS, 1, 9) + "/" + gen.intBetween(0, 99) + ".ts");
		};
		if (after.asText().equals(was)) {
			// Always another value: one as signed would make a valid request
			after = switch (field) {
				case "PORT", "DATA_PORT", "AMOUNT" ->
					(kind == 0) ? nodes.textNode(Integer.toString(Integer.parseInt(was) % 65535 + 1))
							: nodes.numberNode(Integer.parseInt(was) % 65535 + 1);
				default -> nodes.textNode(was + "x");
			};
		}
		message.set(field, after);
		return field + " changed after signing";
	}

	// Stale or replayed proofs, made with the right secret

	private Made staleTime(Gen gen) {
		int kind = gen.intBetween(0, 2);
		NodeCredential owner = (kind == 0) ? this.fixture.knownBox() : this.fixture.knownPublisher();
		Instant now = Instant.now();
		int shape = gen.intBetween(0, 4);
		return switch (shape) {
			case 0 -> {
				Duration ago = Duration.ofMillis(gen.longBetween(61_000, Duration.ofDays(3650).toMillis()));
				yield stale(signed(kind, owner, now.minus(ago), gen), "signed " + ago + " ago");
			}
			case 1 -> {
				Duration ahead = Duration.ofMillis(gen.longBetween(300_000, Duration.ofDays(3650).toMillis()));
				yield stale(signed(kind, owner, now.plus(ahead), gen), "signed " + ahead + " ahead");
			}
			case 2 -> {
				// No later than the time last accepted from the node
				String accepted = (kind == 0) ? this.fixture.knownBoxAccepted() : this.fixture.knownPublisherAccepted();
				long last = Long.parseLong(read(accepted).get(MessageAuth.TIME_FIELD).asText());
				long earlier = last - gen.longBetween(0, 30_000);
				yield stale(signed(kind, owner, Instant.ofEpochMilli(earlier), gen),
						"signed " + (last - earlier) + " ms before the last accepted");
			}
			case 3 -> {
				String accepted = (kind == 0) ? this.fixture.knownBoxAccepted() : this.fixture.knownPublisherAccepted();
				yield new Made(Frame.text(accepted), STALE_REQUEST, "a replay of an accepted request");
			}
			default -> {
				long time = gen.longBetween(0, 1_000_000);
				yield stale(signed(kind, owner, Instant.ofEpochMilli(time), gen), "signed at " + time);
			}
		};
	}

	private Made stale(ObjectNode message, String how) {
		return new Made(Frame.text(text(message)), STALE_REQUEST, message.get("COMMAND").asText() + " " + how);
	}

	// REPORTs with bad fields, checked before the proof: signed or not, refused alike

	private Made badReport(Gen gen) {
		String publisherId = this.fixture.knownPublisherId();
		String boxId = gen.bool() ? this.fixture.knownBoxId() : this.fixture.credentialOnlyBox().id().value();
		String field = gen.oneOf("BOX_ID", "BOX_ID", "FILE_PATH", "REASON", "PORT", "none");
		JsonNode value;
		String expected;
		switch (field) {
			case "BOX_ID" -> {
				int shape = gen.intBetween(0, 7);
				value = switch (shape) {
					case 0 -> null;
					case 1 -> nodes.nullNode();
					case 2 -> nodes.textNode("");
					case 3 -> nodes.textNode(badId(gen, Role.BOX));
					case 4 -> nodes.textNode(gen.oneOf(publisherId, this.fixture.entranceId(),
							NodeId.random(Role.BOX).value(), NodeId.random(Role.PUBLISHER).value()));
					case 5 -> gen.oneOf(nodes.numberNode(gen.anyInt()), nodes.booleanNode(gen.bool()),
							nodes.numberNode(gen.doubleBetween(0, 1e9)));
					case 6 -> gen.oneOf(nodes.objectNode(), nodes.arrayNode(), nodes.arrayNode().add(boxId));
					default -> nodes.textNode(badId(gen, Role.BOX));
				};
				expected = (shape <= 1) ? MISSING_FIELD : (shape == 2) ? EMPTY_FIELD : BAD_VALUE;
			}
			case "FILE_PATH" -> {
				int shape = gen.intBetween(0, 4);
				value = switch (shape) {
					case 0 -> gen.oneOf(null, nodes.nullNode());
					case 1 -> nodes.textNode("");
					case 2 -> gen.oneOf(nodes.objectNode(), nodes.arrayNode(), nodes.arrayNode().add("/a.ts"));
					default -> {
						int length = gen.oneOf(1025, 1026, 2048, gen.intBetween(1025, 20_000));
						String path = "/" + gen.anyString(64);
						yield nodes.textNode(path.repeat(length / path.length() + 1).substring(0, length));
					}
				};
				expected = (shape == 0) ? MISSING_FIELD : (shape == 1) ? EMPTY_FIELD : BAD_VALUE;
			}
			case "REASON" -> {
				int shape = gen.intBetween(0, 4);
				value = switch (shape) {
					case 0 -> gen.oneOf(null, nodes.nullNode());
					case 1 -> nodes.textNode("");
					case 2 -> gen.oneOf(nodes.objectNode(), nodes.arrayNode());
					case 3 -> gen.oneOf(nodes.numberNode(gen.anyInt()), nodes.booleanNode(gen.bool()));
					default -> {
						String reason = gen.oneOf("sha256_mismatch", "SHA256_MISMATCH ", " SHA256_MISMATCH",
								"SHA1_MISMATCH", "SHA256-MISMATCH", "MISMATCH", "SHA256_MISMATCH\u0000",
								gen.string(LETTERS, 1, 20), gen.anyString(30));
						yield nodes.textNode(ReportRequest.SHA256_MISMATCH.equals(reason) || reason.isEmpty()
								? reason + "X" : reason);
					}
				};
				expected = (shape == 0) ? MISSING_FIELD : (shape == 1) ? EMPTY_FIELD : BAD_VALUE;
			}
			case "PORT" -> {
				value = gen.oneOf(nodes.textNode(gen.string(LETTERS, 1, 9)), nodes.booleanNode(true),
						nodes.objectNode(), nodes.arrayNode().add(1), nodes.arrayNode());
				expected = BAD_VALUE;
			}
			default -> {
				value = null;
				expected = UNAUTHENTICATED;
			}
		}
		ObjectNode message = report(publisherId, boxId);
		if (!"none".equals(field)) {
			if (value == null) {
				message.remove(field);
			}
			else {
				message.set(field, value);
			}
		}
		// Half are signed over exactly these fields: the proof must not be looked at, nor
		// its time used up, before the fields pass
		boolean signed = !"none".equals(field) && gen.bool();
		if (signed) {
			signReport(message, this.fixture.knownPublisher(), TestCredentials.nextSigningTime());
		}
		return new Made(Frame.text(text(message)), expected,
				(signed ? "signed " : "") + "REPORT with " + ("none".equals(field) ? "no proof"
						: field + "=" + ((value != null) ? shorten(text(value)) : "(absent)")));
	}

	// Binary frames: the entrance reads text

	private Made binaryFrame(Gen gen) {
		byte[] bytes = switch (gen.intBetween(0, 2)) {
			case 0 -> gen.bytes(65_536);
			case 1 -> gen.bytes(64);
			default ->
				text(signed(gen.intBetween(0, 2), gen.bool() ? this.fixture.knownBox() : this.fixture.knownPublisher(),
						TestCredentials.nextSigningTime(), gen))
					.getBytes(StandardCharsets.UTF_8);
		};
		return new Made(Frame.binary(bytes), INVALID_JSON, bytes.length + " bytes");
	}

	// Messages

	/** A well-formed request that proves nothing. */
	private ObjectNode unsignedMessage(Gen gen) {
		return switch (gen.intBetween(0, 2)) {
			case 0 -> exchange(strangerBox(gen));
			case 1 -> search(strangerPublisher(gen));
			default -> report(this.fixture.knownPublisherId(), this.fixture.knownBoxId());
		};
	}

	/** A valid sender (ID, IP, PORT, TYPE) of any role, with a command to replace. */
	private ObjectNode sender(Gen gen) {
		return sender(gen.oneOf(Role.values()), gen);
	}

	private ObjectNode sender(Role role, Gen gen) {
		ObjectNode message = nodes.objectNode();
		message.put("ID", gen.bool() ? NodeId.random(role).value() : role.idPrefix() + hex(gen, 32));
		message.put("IP", "127.0.2." + gen.intBetween(1, 254));
		message.put("PORT", Integer.toString(gen.intBetween(1, 65535)));
		message.put("TYPE", role.wireType());
		message.put("COMMAND", "SEARCH");
		return message;
	}

	private ObjectNode exchange(String boxId) {
		return toNode(heartbeat(boxId));
	}

	private ObjectNode search(String publisherId) {
		return toNode(new SearchRequest(publisherId, "127.0.2.50", null, null));
	}

	private ObjectNode report(String publisherId, String boxId) {
		return toNode(reportRequest(publisherId, boxId, "/live/demo/12.ts"));
	}

	/**
	 * A request of the kind (0 EXCHANGE, 1 SEARCH, 2 REPORT) signed with the credential,
	 * well formed in every field.
	 */
	private ObjectNode signed(int kind, NodeCredential credential, Instant time, Gen gen) {
		String id = credential.id().value();
		Message request = switch (kind) {
			case 0 -> MessageAuth.sign(heartbeat(id), credential, time);
			case 1 -> MessageAuth.sign(new SearchRequest(id, "127.0.2.50", gen.bool() ? 7073 : null,
					gen.bool() ? gen.intBetween(1, 50) : null), credential, time);
			default -> MessageAuth.sign(reportRequest(id,
					gen.bool() ? this.fixture.knownBoxId() : this.fixture.credentialOnlyBox().id().value(),
					"/live/demo/" + gen.intBetween(0, 999) + ".ts"), credential, time);
		};
		return toNode(request);
	}

	/** Signs a REPORT over its fields as they stand, whatever their shape. */
	private void signReport(ObjectNode message, NodeCredential credential, Instant time) {
		ReportRequest text = new ReportRequest(credential.id().value(), message.path("IP").asText(),
				message.path("PORT").isInt() ? message.get("PORT").asInt() : null, textOrNull(message, "BOX_ID"),
				textOrNull(message, "FILE_PATH"), textOrNull(message, "REASON"), null, null);
		ReportRequest signed = MessageAuth.sign(text, credential, time);
		message.put(MessageAuth.TIME_FIELD, signed.authTime());
		message.put(MessageAuth.SIGNATURE_FIELD, signed.authSignature());
	}

	private static String textOrNull(ObjectNode message, String field) {
		JsonNode value = message.get(field);
		return (value == null || value.isNull() || value.isContainerNode()) ? null : value.asText();
	}

	private static ExchangeRequest heartbeat(String boxId) {
		return ExchangeRequest
			.of(boxId, "127.0.2.10", 7070, "http://127.0.2.10:7070/dandelion/" + boxId + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072);
	}

	private static ReportRequest reportRequest(String publisherId, String boxId, String filePath) {
		return new ReportRequest(publisherId, "127.0.2.50", 7073, boxId, filePath, ReportRequest.SHA256_MISMATCH, null,
				null);
	}

	private static String strangerBox(Gen gen) {
		return Role.BOX.idPrefix() + hex(gen, 32);
	}

	private static String strangerPublisher(Gen gen) {
		return Role.PUBLISHER.idPrefix() + hex(gen, 32);
	}

	private static String hex(Gen gen, int length) {
		return gen.string(HEX, length, length);
	}

	private ObjectNode toNode(Message message) {
		return (ObjectNode) read(this.codec.encode(message));
	}

	private JsonNode read(String text) {
		try {
			return this.json.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String text(JsonNode node) {
		try {
			return this.json.writeValueAsString(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String shorten(String text) {
		return (text.length() > 60) ? text.substring(0, 60) + "…(" + text.length() + " chars)" : text;
	}

}
