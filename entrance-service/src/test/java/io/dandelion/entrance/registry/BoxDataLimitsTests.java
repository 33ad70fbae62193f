package io.dandelion.entrance.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What one box may store: the heartbeats real boxes send pass, one over any limit is
 * refused with {@code TOO_LARGE} and a reason that names the limit.
 */
class BoxDataLimitsTests {

	private final MessageCodec codec = new MessageCodec();

	@ParameterizedTest
	@ValueSource(strings = { "original-box-EXCHANGE.json", "original-box-EXCHANGE-top-KiB.json",
			"original-box-EXCHANGE-with-TRAFFIC_FLOW.json" })
	void shouldStoreWhatTheOriginalBoxesSend(String fixture) throws IOException {
		ExchangeRequest exchange = ((ExchangeRequest) this.codec.decode(captured(fixture))).withTraffic(List.of());
		assertThatNoException().isThrownBy(() -> check(exchange));
	}

	@Test
	void shouldStoreFieldsTheProtocolDoesNotDefineUpToTheLimits() {
		Map<String, String> extra = new LinkedHashMap<>();
		for (int i = 0; i < BoxDataLimits.MAX_EXTRA_FIELDS; i++) {
			extra.put(name(i, 8), "v".repeat(64));
		}
		extra.put(name(99, BoxDataLimits.MAX_EXTRA_NAME_CHARS), "v".repeat(BoxDataLimits.MAX_EXTRA_VALUE_CHARS));
		extra.remove(name(0, 8));
		assertThatNoException().isThrownBy(() -> check(box().withExtra(extra)));
	}

	@Test
	void shouldRefuseMoreFieldsTheProtocolDoesNotDefineThanTheLimit() {
		Map<String, String> extra = new LinkedHashMap<>();
		for (int i = 0; i <= BoxDataLimits.MAX_EXTRA_FIELDS; i++) {
			extra.put(name(i, 8), "v");
		}
		assertTooLarge(box().withExtra(extra), "33 fields the protocol does not define, more than the 32");
	}

	@Test
	void shouldRefuseALongName() {
		assertTooLarge(box().withExtra(Map.of(name(1, BoxDataLimits.MAX_EXTRA_NAME_CHARS + 1), "v")),
				"has 65 chars, more than the 64");
	}

	@Test
	void shouldRefuseALongValue() {
		assertTooLarge(box().withExtra(Map.of("PADDING", "x".repeat(900_000))),
				"field \"PADDING\" has a value of 900000 chars, more than the 256");
	}

	@Test
	void shouldRefuseABoxWhoseFieldsTogetherAreOverTheLimit() {
		// Fields the protocol defines count too: nothing else bounds a CONNECT_WS
		ExchangeRequest box = box();
		ExchangeRequest huge = ExchangeRequest.of(box.id(), box.ip(), 7070,
				box.connectWs() + "?" + "x".repeat(BoxDataLimits.MAX_BOX_CHARS), BoxMetrics.NONE);
		assertTooLarge(huge, "more than the 8192 an entrance stores for one box");
		Map<String, String> extra = new LinkedHashMap<>();
		for (int i = 0; i < BoxDataLimits.MAX_EXTRA_FIELDS; i++) {
			extra.put(name(i, BoxDataLimits.MAX_EXTRA_NAME_CHARS), "v".repeat(BoxDataLimits.MAX_EXTRA_VALUE_CHARS));
		}
		assertTooLarge(box().withExtra(extra), "more than the 8192 an entrance stores for one box");
	}

	private void check(ExchangeRequest exchange) {
		BoxDataLimits.check(exchange, this.codec.toFields(exchange));
	}

	private void assertTooLarge(ExchangeRequest exchange, String reason) {
		assertThatThrownBy(() -> check(exchange))
			.isInstanceOfSatisfying(MessageFormatException.class,
					(ex) -> assertThat(ex.reason()).isEqualTo(Reason.TOO_LARGE))
			.hasMessageContaining(reason);
	}

	private static ExchangeRequest box() {
		String id = NodeId.random(Role.BOX).value();
		return ExchangeRequest
			.of(id, "203.0.113.7", 7070, "http://203.0.113.7:7070/dandelion/" + id + "/ws/",
					new BoxMetrics(1200.0, 4, 5.0, 5.0, 0.0, 90.0, 0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 1_000_000L, 500_000L,
							100.0, 50.0, 20.0, 0L, null, null, null, null))
			.withDataPort(7072);
	}

	private static String name(int index, int length) {
		String prefix = "X-" + index + "-";
		return prefix + "N".repeat(length - prefix.length());
	}

	private static String captured(String fixture) throws IOException {
		try (InputStream in = BoxDataLimitsTests.class.getClassLoader()
			.getResourceAsStream("fixtures/captured/" + fixture)) {
			assertThat(in).as(fixture).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
