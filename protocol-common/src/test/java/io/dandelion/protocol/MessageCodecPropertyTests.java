package io.dandelion.protocol;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws random text and random near-valid messages at the codec: it either reads a
 * message or refuses it with {@link MessageFormatException}, and never fails in any other
 * way.
 */
class MessageCodecPropertyTests {

	private static final List<String> FIELD_NAMES = List.of("ID", "IP", "PORT", "TYPE", "COMMAND", "CONNECT_WS",
			"CPU-IDLE", "CPU-NUM", "MEM-TOTAL", "DISK-AVAIL", "GEOIP-LOC", "GEOIP-CITY", "RANK_SCORE", "RANK_REASONS",
			"BOX_SET", "ENTRANCE_URLS", "MESSAGE", "ERROR", "FILE_PATH", "SIZE", "SHA256", "YOUR_IP", "AMOUNT",
			"box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60:TRAFFIC_FLOW:log-1", "x:TRAFFIC_FLOW:", "url", "status", "size");

	private final MessageCodec codec = new MessageCodec();

	@Property(tries = 10_000)
	void shouldReadOrRefuseAnyText(@ForAll("texts") String text) {
		assertReadOrRefused(text);
	}

	@Property(tries = 10_000)
	void shouldReadOrRefuseAnyObjectOfProtocolFields(@ForAll("messages") ObjectNode message) {
		assertReadOrRefused(message.toString());
	}

	@Property(tries = 10_000)
	void shouldReadBackEveryExchangeItWrites(@ForAll("exchanges") ExchangeRequest exchange) {
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

	@Provide
	Arbitrary<String> texts() {
		Arbitrary<String> fixtureMutations = Arbitraries
			.of("exchange-request.json", "exchange-response.json", "search-request.json", "search-response.json",
					"publish-request.json", "publish-response.json", "error-response.json")
			.map(WireFixtures::text)
			.flatMap((fixture) -> Combinators
				.combine(Arbitraries.integers().between(0, fixture.length()), Arbitraries.integers().between(0, 20),
						Arbitraries.strings().ofMaxLength(8))
				.as((at, cut, insert) -> fixture.substring(0, at) + insert
						+ fixture.substring(Math.min(fixture.length(), at + cut))));
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
				Arbitraries.strings().withChars("{}[]\":,0123456789.-eE truefalsn\\u").ofMaxLength(60),
				fixtureMutations);
	}

	@Provide
	Arbitrary<ObjectNode> messages() {
		Arbitrary<Object> values = Arbitraries.oneOf(
				Arbitraries.of("BOX", "ENTRANCE", "PUBLISHER", "EXCHANGE", "SEARCH", "PUBLISH", "STORED", "ACCEPTED",
						"box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60", "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5",
						"entrance-9a8b7c6d5e4f40312a1b2c3d4e5f6a7b", "127.0.0.1", "", "7070", "-1", "1e999", "NaN",
						"1,2", "a=1,b=x", "35.6,139.7"),
				Arbitraries.strings().ofMaxLength(12), Arbitraries.integers(), Arbitraries.doubles(),
				Arbitraries.just(Map.of("url", "/a", "status", "200", "size", "5")), Arbitraries.just(List.of("x")),
				Arbitraries.just(Map.of()));
		return Arbitraries.maps(Arbitraries.of(FIELD_NAMES), values).ofMaxSize(12).map((fields) -> {
			ObjectNode node = JsonNodeFactory.instance.objectNode();
			fields.forEach((name, value) -> node.putPOJO(name, value));
			return node;
		});
	}

	@Provide
	Arbitrary<ExchangeRequest> exchanges() {
		Arbitrary<Double> percent = Arbitraries.doubles().between(0, 100).ofScale(2).injectNull(0.3);
		Arbitrary<Long> count = Arbitraries.longs().between(0, Long.MAX_VALUE / 2).injectNull(0.3);
		Arbitrary<BoxMetrics> metrics = Combinators.combine(percent, percent, count, count)
			.as((idle, user, total, served) -> new BoxMetrics(null, 4, user, null, null, idle, null, null, null, null,
					null, null, total, null, null, null, null, served, null, null, null, null));
		Arbitrary<TrafficEntry> traffic = Combinators
			.combine(Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(32),
					Arbitraries.strings().ofMaxLength(40), Arbitraries.integers().between(100, 599),
					Arbitraries.longs().greaterOrEqual(0))
			.as((id, url, status, size) -> new TrafficEntry("log-" + id, "/" + url, status, size, null));
		Arbitrary<GeoLocation> geoip = Combinators
			.combine(Arbitraries.doubles().between(-90, 90), Arbitraries.doubles().between(-180, 180),
					Arbitraries.strings().alpha().ofMaxLength(10))
			.as((lat, lon, city) -> new GeoLocation(null, null, null, city.isEmpty() ? null : city, null, null, lat,
					lon))
			.injectNull(0.5);
		return Combinators
			.combine(metrics, traffic.list().ofMaxSize(5).uniqueElements(TrafficEntry::logId), geoip,
					Arbitraries.integers().between(1, 65535), Arbitraries.strings().alpha().ofMaxLength(10))
			.as((m, t, g, port, extra) -> ExchangeRequest
				.of("box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60", "203.0.113.7", port, "ws://203.0.113.7/", m)
				.withTraffic(t)
				.withGeoip(g)
				.withExtra(extra.isEmpty() ? Map.of() : Map.of("NEW_" + extra.toUpperCase(), extra)));
	}

}
