package io.dandelion.protocol.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@ExtendWith(SeededCases.class)
class MessageAuthTests {

	private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

	private static final NodeCredential BOX = NodeCredential.random(NodeId.random(Role.BOX));

	private static final NodeCredential PUBLISHER = NodeCredential.random(NodeId.random(Role.PUBLISHER));

	private final MessageCodec codec = new MessageCodec();

	@Test
	void shouldVerifyASignedExchangeAfterTheWire() throws AuthException {
		ExchangeRequest signed = MessageAuth.sign(exchange(), BOX, NOW);
		ExchangeRequest received = (ExchangeRequest) this.codec.decode(this.codec.encode(signed));
		MessageAuth.Proof proof = MessageAuth.proof(received).orElseThrow();
		assertThat(proof.instant()).isEqualTo(NOW);
		assertThatNoException().isThrownBy(() -> MessageAuth.verify(received, proof, BOX.secret()));
	}

	@Test
	void shouldSignPortsAsIntegersWhateverTheirWireForm() throws AuthException {
		ExchangeRequest signed = MessageAuth.sign(exchange(), BOX, NOW);
		String wire = this.codec.encode(signed).replace("\"PORT\":\"7070\"", "\"PORT\":\"7070.0\"");
		assertThat(wire).contains("7070.0");
		ExchangeRequest received = (ExchangeRequest) this.codec.decode(wire);
		MessageAuth.verify(received, MessageAuth.proof(received).orElseThrow(), BOX.secret());
	}

	@Test
	void shouldVerifyASignedSearchAfterTheWire() throws AuthException {
		SearchRequest signed = MessageAuth.sign(new SearchRequest(PUBLISHER.id().value(), "198.51.100.20", null, 5),
				PUBLISHER, NOW);
		SearchRequest received = (SearchRequest) this.codec.decode(this.codec.encode(signed));
		MessageAuth.verify(received, MessageAuth.proof(received).orElseThrow(), PUBLISHER.secret());
		assertThat(this.codec.encode(signed)).contains("\"AUTH_TIME\":\"" + NOW.toEpochMilli() + "\"");
	}

	@Test
	void shouldVerifyASignedReportAfterTheWireAndRefuseAnotherBox() throws AuthException {
		String box = NodeId.random(Role.BOX).value();
		ReportRequest signed = MessageAuth.sign(new ReportRequest(PUBLISHER.id().value(), "198.51.100.20", 7073, box,
				"/live/demo/12.ts", ReportRequest.SHA256_MISMATCH, null, null), PUBLISHER, NOW);
		String wire = this.codec.encode(signed);
		ReportRequest received = (ReportRequest) this.codec.decode(wire);
		assertThat(received).isEqualTo(signed);
		MessageAuth.verify(received, MessageAuth.proof(received).orElseThrow(), PUBLISHER.secret());
		ReportRequest otherBox = (ReportRequest) this.codec.decode(wire.replace(box, NodeId.random(Role.BOX).value()));
		assertThatExceptionOfType(AuthException.class).isThrownBy(
				() -> MessageAuth.verify(otherBox, MessageAuth.proof(otherBox).orElseThrow(), PUBLISHER.secret()));
	}

	@Test
	void shouldSignAnExchangeOverTheTextDocsProtocolMdShows() {
		String id = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";
		ExchangeRequest exchange = ExchangeRequest
			.of(id, "203.0.113.7", 7070, "https://203.0.113.7:7070/dandelion/" + id + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072)
			.withDataScheme(ExchangeRequest.TLS_DATA);
		assertThat(MessageAuth.canonical(exchange, "1764842400000")).isEqualTo(String.join("\n", "dandelion-auth-v1",
				"EXCHANGE", id, "1764842400000", "IP=203.0.113.7", "PORT=7070",
				"CONNECT_WS=https://203.0.113.7:7070/dandelion/" + id + "/ws/", "DATA_PORT=7072", "DATA_SCHEME=https"));
		assertThat(MessageAuth.canonical(exchange.withDataScheme(null), "1764842400000")).endsWith("\nDATA_SCHEME=");
	}

	@Test
	void shouldHaveNoProofWhenNeitherFieldIsSent() throws AuthException {
		assertThat(MessageAuth.proof(exchange())).isEmpty();
		assertThat(MessageAuth.proof(new SearchRequest(PUBLISHER.id().value(), "198.51.100.20", null, null))).isEmpty();
	}

	@Test
	void shouldRefuseAnotherCredentialsSignature() throws AuthException {
		ExchangeRequest signed = MessageAuth.sign(exchange(), NodeCredential.random(BOX.id()), NOW);
		MessageAuth.Proof proof = MessageAuth.proof(signed).orElseThrow();
		assertThatExceptionOfType(AuthException.class).isThrownBy(() -> MessageAuth.verify(signed, proof, BOX.secret()))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(AuthException.Code.UNAUTHENTICATED));
	}

	@Test
	void shouldRefuseASearchSignatureOnAnExchange() throws AuthException {
		// The command is part of the signed text, so a proof cannot move between commands
		SearchRequest search = MessageAuth.sign(new SearchRequest(BOX.id().value(), "203.0.113.7", 7070, null), BOX,
				NOW);
		ExchangeRequest exchange = new ExchangeRequest(BOX.id().value(), "203.0.113.7", 7070, null, null, null, null,
				null, null, null, null,
				Map.of(MessageAuth.TIME_FIELD, search.authTime(), MessageAuth.SIGNATURE_FIELD, search.authSignature()));
		assertThatExceptionOfType(AuthException.class)
			.isThrownBy(() -> MessageAuth.verify(exchange, MessageAuth.proof(exchange).orElseThrow(), BOX.secret()));
	}

	@Test
	void shouldCheckTheWindowBothWays() throws AuthException {
		MessageAuth.Proof proof = MessageAuth.proof(MessageAuth.sign(exchange(), BOX, NOW)).orElseThrow();
		Duration window = Duration.ofSeconds(60);
		assertThatNoException().isThrownBy(() -> MessageAuth.checkWindow(proof, NOW.plusSeconds(60), window));
		assertThatNoException().isThrownBy(() -> MessageAuth.checkWindow(proof, NOW.minusSeconds(60), window));
		assertThatExceptionOfType(AuthException.class)
			.isThrownBy(() -> MessageAuth.checkWindow(proof, NOW.plusSeconds(61), window))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(AuthException.Code.STALE_REQUEST));
		assertThatExceptionOfType(AuthException.class)
			.isThrownBy(() -> MessageAuth.checkWindow(proof, NOW.minusSeconds(61), window));
	}

	@Test
	void shouldDropReservedFieldsAndKeepOthers() {
		Map<String, String> extra = new LinkedHashMap<>();
		extra.put("NEWER-FIELD", "kept");
		extra.put(PublishTicket.FIELD, "dt1.forged");
		extra.put(ViewerUrlSignature.SECRET_FIELD, "forged");
		ExchangeRequest stored = MessageAuth.withoutReservedFields(MessageAuth.sign(exchange(), BOX, NOW)
			.withExtra(merge(MessageAuth.sign(exchange(), BOX, NOW).extra(), extra)));
		assertThat(stored.extra()).containsOnlyKeys("NEWER-FIELD");
	}

	@ParameterizedTest
	@MethodSource("malformedProofs")
	void shouldRefuseAMalformedProofAsUnauthenticated(String time, String signature) {
		Map<String, String> extra = new LinkedHashMap<>();
		if (time != null) {
			extra.put(MessageAuth.TIME_FIELD, time);
		}
		if (signature != null) {
			extra.put(MessageAuth.SIGNATURE_FIELD, signature);
		}
		assertThatExceptionOfType(AuthException.class).isThrownBy(() -> MessageAuth.proof(exchange().withExtra(extra)))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(AuthException.Code.UNAUTHENTICATED));
	}

	static Stream<Arguments> malformedProofs() {
		String good = "A".repeat(43);
		return Stream.of(arguments("1764842400000", null), arguments(null, good), arguments("", good),
				arguments("-1", good), arguments("1.5", good), arguments("12345678901234567", good),
				arguments("1764842400000", ""), arguments("1764842400000", good + "A"),
				arguments("1764842400000", "A".repeat(42)), arguments("1764842400000", "+".repeat(43)),
				arguments("1764842400000", "=".repeat(43)), arguments("١٢٣", good));
	}

	/**
	 * Any change to a signed field, the ID, the time or the signature is refused; changes
	 * to unsigned figures are not the proof's business.
	 */
	@ParameterizedTest
	@MethodSource("tamperedExchanges")
	void shouldRefuseEveryTamperedExchange(ExchangeRequest tampered) {
		assertThatExceptionOfType(AuthException.class).isThrownBy(() -> {
			MessageAuth.Proof proof = MessageAuth.proof(tampered).orElseThrow();
			MessageAuth.verify(tampered, proof, BOX.secret());
		});
	}

	static Stream<Arguments> tamperedExchanges() {
		return SeededCases.of(20261204L, 3_000, (gen) -> {
			ExchangeRequest signed = MessageAuth.sign(exchange(), BOX, NOW.plusMillis(gen.longBetween(0, 1_000_000)));
			Map<String, String> extra = new LinkedHashMap<>(signed.extra());
			String signature = extra.get(MessageAuth.SIGNATURE_FIELD);
			String time = extra.get(MessageAuth.TIME_FIELD);
			ExchangeRequest tampered = switch (gen.intBetween(0, 7)) {
				case 0 -> {
					int at = gen.intBetween(0, signature.length() - 1);
					char replacement = gen.oneOf(List.of('A', 'B', '-', '_', 'z', '9'));
					if (signature.charAt(at) == replacement) {
						replacement = (replacement == 'A') ? 'B' : 'A';
					}
					extra.put(MessageAuth.SIGNATURE_FIELD,
							signature.substring(0, at) + replacement + signature.substring(at + 1));
					yield signed.withExtra(extra);
				}
				case 1 -> {
					extra.put(MessageAuth.TIME_FIELD,
							Long.toString(Long.parseLong(time) + gen.longBetween(1, 100_000)));
					yield signed.withExtra(extra);
				}
				case 2 -> new ExchangeRequest(signed.id(), "203.0.113." + gen.intBetween(8, 254), signed.port(),
						signed.connectWs(), signed.dataPort(), signed.dataScheme(), null, null, null, null, null,
						signed.extra());
				case 3 ->
					new ExchangeRequest(signed.id(), signed.ip(), gen.intBetween(1, 65535) | 1, signed.connectWs(),
							signed.dataPort(), signed.dataScheme(), null, null, null, null, null, signed.extra());
				case 4 -> new ExchangeRequest(signed.id(), signed.ip(), signed.port(),
						"http://198.51.100." + gen.intBetween(1, 254) + ":7070/dandelion/" + signed.id() + "/ws/",
						signed.dataPort(), signed.dataScheme(), null, null, null, null, null, signed.extra());
				case 5 ->
					new ExchangeRequest(NodeId.random(Role.BOX).value(), signed.ip(), signed.port(), signed.connectWs(),
							signed.dataPort(), signed.dataScheme(), null, null, null, null, null, signed.extra());
				case 6 -> signed.withDataScheme(gen.chance(0.5) ? null : ExchangeRequest.PLAIN_DATA);
				default -> new ExchangeRequest(signed.id(), signed.ip(), signed.port(), signed.connectWs(),
						gen.chance(0.5) ? null : 7073, signed.dataScheme(), null, null, null, null, null,
						signed.extra());
			};
			return arguments(tampered);
		});
	}

	private static ExchangeRequest exchange() {
		return ExchangeRequest
			.of(BOX.id().value(), "203.0.113.7", 7070, "http://203.0.113.7:7070/dandelion/" + BOX.id().value() + "/ws/",
					BoxMetrics.NONE)
			.withDataPort(7072)
			.withDataScheme(ExchangeRequest.TLS_DATA);
	}

	private static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
		Map<String, String> merged = new LinkedHashMap<>(first);
		merged.putAll(second);
		return merged;
	}

}
