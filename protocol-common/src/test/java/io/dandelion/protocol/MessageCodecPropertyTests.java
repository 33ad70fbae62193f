package io.dandelion.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Throws random text and random near-valid messages at the codec: it either reads a
 * message or refuses it with {@link MessageFormatException}, and never fails in any other
 * way.
 */
@ExtendWith(SeededCases.class)
class MessageCodecPropertyTests {

	private static final List<String> FIELD_NAMES = List.of("ID", "IP", "PORT", "TYPE", "COMMAND", "CONNECT_WS",
			"CPU-IDLE", "CPU-NUM", "MEM-TOTAL", "DISK-AVAIL", "GEOIP-LOC", "GEOIP-CITY", "RANK_SCORE", "RANK_REASONS",
			"BOX_SET", "ENTRANCE_URLS", "MESSAGE", "ERROR", "FILE_PATH", "SIZE", "SHA256", "YOUR_IP", "AMOUNT",
			"AUTH_TIME", "AUTH_SIGNATURE", "PUBLISH_TICKET", "URL_SECRET", "BOX_ID", "REASON",
			"box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60:TRAFFIC_FLOW:log-1", "x:TRAFFIC_FLOW:", "url", "status", "size");

	private static final List<String> FIXTURES = List.of("exchange-request.json", "exchange-response.json",
			"search-request.json", "search-response.json", "publish-request.json", "publish-response.json",
			"error-response.json");

	private static final List<Object> FIELD_VALUES = List.of("BOX", "ENTRANCE", "PUBLISHER", "EXCHANGE", "SEARCH",
			"PUBLISH", "STORED", "REPORT", "ACCEPTED", "SHA256_MISMATCH", "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60",
			"publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5", "entrance-9a8b7c6d5e4f40312a1b2c3d4e5f6a7b", "127.0.0.1", "",
			"7070", "-1", "1e999", "NaN", "1,2", "a=1,b=x", "35.6,139.7");

	private static final String JSON_CHARS = "{}[]\":,0123456789.-eE truefalsn\\u";

	private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	private static final String BOX_ID = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	private final MessageCodec codec = new MessageCodec();

	@ParameterizedTest
	@MethodSource("texts")
	void shouldReadOrRefuseAnyText(String text) {
		assertReadOrRefused(text);
	}

	@ParameterizedTest
	@MethodSource("messages")
	void shouldReadOrRefuseAnyObjectOfProtocolFields(ObjectNode message) {
		assertReadOrRefused(message.toString());
	}

	@ParameterizedTest
	@MethodSource("exchanges")
	void shouldReadBackEveryExchangeItWrites(ExchangeRequest exchange) {
		assertThat(this.codec.decode(this.codec.encode(exchange))).isEqualTo(exchange);
	}

	private void assertReadOrRefused(String text) {
		try {
			Message message = this.codec.decode(text);
			assertThat(message).isNotNull();
			// Whatever was accepted must also be writable and read back the same.
			assertThat(this.codec.decode(this.codec.encode(message))).isEqualTo(message);
		}
		catch (MessageFormatException ex) {
			assertThat(ex.reason()).isNotNull();
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	static Stream<Arguments> texts() {
		// Edge cases: nearly empty texts and every fixture as it is
		Stream<String> edges = Stream.concat(Stream.of("", " ", "{}", "[]", "null", "\"\""),
				FIXTURES.stream().map(WireFixtures::text));
		return SeededCases.of(0x7e475L, 10_000, edges.map(Arguments::arguments).toList(),
				(gen) -> arguments(switch (gen.intBetween(0, 2)) {
					case 0 -> gen.anyString(200);
					case 1 -> gen.string(JSON_CHARS, 60);
					default -> fixtureMutation(gen);
				}));
	}

	private static String fixtureMutation(Gen gen) {
		String fixture = WireFixtures.text(gen.oneOf(FIXTURES));
		int at = gen.intBetween(0, fixture.length());
		int cut = gen.intBetween(0, 20);
		return fixture.substring(0, at) + gen.anyString(8) + fixture.substring(Math.min(fixture.length(), at + cut));
	}

	static Stream<Arguments> messages() {
		List<Arguments> edges = List.of(arguments(JsonNodeFactory.instance.objectNode()));
		return SeededCases.of(0x3e55a6e5L, 10_000, edges, (gen) -> {
			ObjectNode node = JsonNodeFactory.instance.objectNode();
			for (int i = gen.size(0, 12); i > 0; i--) {
				node.putPOJO(gen.oneOf(FIELD_NAMES), fieldValue(gen));
			}
			return arguments(node);
		});
	}

	private static Object fieldValue(Gen gen) {
		return switch (gen.intBetween(0, 6)) {
			case 0 -> gen.oneOf(FIELD_VALUES);
			case 1 -> gen.anyString(12);
			case 2 -> gen.anyInt();
			case 3 -> gen.anyDouble();
			case 4 -> Map.of("url", "/a", "status", "200", "size", "5");
			case 5 -> List.of("x");
			default -> Map.of();
		};
	}

	static Stream<Arguments> exchanges() {
		// Edge cases: nothing optional set, then every bound at once
		ExchangeRequest bare = ExchangeRequest
			.of(BOX_ID, "203.0.113.7", 1, "ws://203.0.113.7/", metrics(null, null, null, null))
			.withTraffic(List.of())
			.withGeoip(null)
			.withExtra(Map.of());
		ExchangeRequest bounds = ExchangeRequest
			.of(BOX_ID, "203.0.113.7", 65535, "ws://203.0.113.7/", metrics(0.0, 100.0, 0L, Long.MAX_VALUE / 2))
			.withTraffic(List.of(new TrafficEntry("log-a", "/", 100, 0, null),
					new TrafficEntry("log-" + "f".repeat(32), "/", 599, Long.MAX_VALUE, null)))
			.withGeoip(new GeoLocation(null, null, null, null, null, null, -90.0, 180.0))
			.withExtra(Map.of("NEW_A", "a"));
		return SeededCases.of(0xe8c4a26eL, 10_000, List.of(arguments(bare), arguments(bounds)),
				(gen) -> arguments(exchange(gen)));
	}

	private static ExchangeRequest exchange(Gen gen) {
		BoxMetrics metrics = metrics(percent(gen), percent(gen), count(gen), count(gen));
		Map<String, TrafficEntry> traffic = new LinkedHashMap<>();
		for (int i = gen.size(0, 5); i > 0; i--) {
			TrafficEntry entry = new TrafficEntry("log-" + gen.string("abcdef", 1, 32), "/" + gen.anyString(40),
					gen.intBetween(100, 599), gen.longBetween(0, Long.MAX_VALUE), null);
			traffic.putIfAbsent(entry.logId(), entry);
		}
		GeoLocation geoip = null;
		if (gen.bool()) {
			String city = gen.string(ALPHA, 10);
			geoip = new GeoLocation(null, null, null, city.isEmpty() ? null : city, null, null,
					gen.doubleBetween(-90, 90), gen.doubleBetween(-180, 180));
		}
		int port = gen.intBetween(1, 65535);
		String extra = gen.string(ALPHA, 10);
		return ExchangeRequest.of(BOX_ID, "203.0.113.7", port, "ws://203.0.113.7/", metrics)
			.withTraffic(List.copyOf(traffic.values()))
			.withGeoip(geoip)
			.withExtra(extra.isEmpty() ? Map.of() : Map.of("NEW_" + extra.toUpperCase(), extra));
	}

	private static BoxMetrics metrics(Double idle, Double user, Long total, Long served) {
		return new BoxMetrics(null, 4, user, null, null, idle, null, null, null, null, null, null, total, null, null,
				null, null, served, null, null, null, null);
	}

	/** A percentage with two decimals, or null. */
	private static Double percent(Gen gen) {
		return gen.chance(0.3) ? null : gen.intBetween(0, 10_000) / 100.0;
	}

	private static Long count(Gen gen) {
		return gen.chance(0.3) ? null : gen.longBetween(0, Long.MAX_VALUE / 2);
	}

}
