package io.dandelion.publisher.pool;

import java.util.Map;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoxCandidateTests {

	private static final String BOX = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	private static final String PUBLISHER = "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5";

	@Test
	void shouldTakeTheDataPortFromTheExchange() {
		BoxCandidate box = BoxCandidate.of(exchange("203.0.113.7").withDataPort(8088), Map.of());
		assertThat(box.dataPort()).isEqualTo(8088);
		assertThat(box.fileUrl(PUBLISHER, "/videos/a.ts"))
			.isEqualTo("http://203.0.113.7:8088/" + PUBLISHER + "/videos/a.ts");
	}

	@Test
	void shouldServeHttpsUrlsOnlyForABoxThatSaysItsDataPortServesTls() {
		BoxCandidate tls = BoxCandidate.of(exchange("203.0.113.7").withDataPort(7072).withDataScheme("https"),
				Map.of());
		assertThat(tls.fileUrl(PUBLISHER, "/videos/a.ts"))
			.isEqualTo("https://203.0.113.7:7072/" + PUBLISHER + "/videos/a.ts");
		assertThat(BoxCandidate.of(exchange("2001:db8::7").withDataScheme("https"), Map.of()).dataOrigin())
			.isEqualTo("https://[2001:db8::7]:7072");
		assertThat(BoxCandidate.of(exchange("203.0.113.7").withDataScheme("http"), Map.of()).dataOrigin())
			.isEqualTo("http://203.0.113.7:7072");
		// The original's boxes write https:// in CONNECT_WS and serve their files over
		// plain HTTP
		ExchangeRequest original = ExchangeRequest.of(BOX, "203.0.113.7", 7070,
				"https://203.0.113.7:7070/dandelion/" + BOX + "/ws/", BoxMetrics.NONE);
		assertThat(BoxCandidate.of(original, Map.of()).dataOrigin()).isEqualTo("http://203.0.113.7:7072");
	}

	@Test
	void shouldEncodeTheNameInTheFileUrl() {
		BoxCandidate box = BoxCandidate.of(exchange("203.0.113.7"), Map.of());
		assertThat(box.fileUrl(PUBLISHER, "/my videos/50%.mp4"))
			.isEqualTo("http://203.0.113.7:7072/" + PUBLISHER + "/my%20videos/50%25.mp4");
	}

	@Test
	void shouldAssumeTheOriginalDataPortWhenTheBoxTellsNone() {
		// A DATA_PORT that is no port never gets here: MessageCodec refuses it
		// (MessageCodecTests).
		assertThat(BoxCandidate.of(exchange("203.0.113.7"), Map.of()).dataPort()).isEqualTo(7072);
	}

	@Test
	void shouldGroupBoxesByNetwork() {
		assertThat(BoxCandidate.of(exchange("203.0.113.7"), Map.of()).network()).isEqualTo("203.0.113");
		assertThat(BoxCandidate.of(exchange("2001:db8:1:2::7"), Map.of()).network()).isEqualTo("2001:db8:1");
	}

	@Test
	void shouldUseTheEntranceScoreAndDefaultToNeutral() {
		assertThat(BoxCandidate.of(exchange("203.0.113.7"), Map.of()).entranceScore()).isEqualTo(0.5);
		assertThat(BoxCandidate.of(exchange("203.0.113.7").withRank(0.8, Map.of()), Map.of()).entranceScore())
			.isEqualTo(0.8);
	}

	@Test
	void shouldOpenTheOriginalsHttpFormsAsWebSockets() {
		String path = ":7070/dandelion/" + BOX + "/ws/";
		assertThat(BoxCandidate
			.of(ExchangeRequest.of(BOX, "127.0.0.1", 7070, "http://127.0.0.1" + path, BoxMetrics.NONE), Map.of())
			.connectWs()).hasToString("ws://127.0.0.1" + path);
		assertThat(BoxCandidate
			.of(ExchangeRequest.of(BOX, "127.0.0.1", 7070, "https://127.0.0.1" + path, BoxMetrics.NONE), Map.of())
			.connectWs()).hasToString("wss://127.0.0.1" + path);
		assertThat(BoxCandidate
			.of(ExchangeRequest.of(BOX, "127.0.0.1", 7070, "wss://127.0.0.1" + path, BoxMetrics.NONE), Map.of())
			.connectWs()).hasToString("wss://127.0.0.1" + path);
	}

	@Test
	void shouldSkipBoxesWithoutAUsableWebSocketUrl() {
		assertThat(BoxCandidate.of(ExchangeRequest.of(BOX, "203.0.113.7", 7070, "ftp://x/", BoxMetrics.NONE), Map.of()))
			.isNull();
		assertThat(
				BoxCandidate.of(ExchangeRequest.of(BOX, "203.0.113.7", 7070, "not a url", BoxMetrics.NONE), Map.of()))
			.isNull();
	}

	@Test
	void shouldKeepTheTicketAndTheUrlSecretApartFromTheExchangeData() {
		Map<String, String> trust = Map.of("PUBLISH_TICKET", "dt1.payload.signature", "URL_SECRET", "the-url-secret",
				"AUTH_TIME", "1764842400000", "AUTH_SIGNATURE", "the-signature");
		Map<String, String> flat = new java.util.HashMap<>(trust);
		flat.put("ID", BOX);
		BoxCandidate box = BoxCandidate.of(exchange("203.0.113.7").withExtra(trust), flat);
		assertThat(box.publishTicket()).isEqualTo("dt1.payload.signature");
		assertThat(box.urlSecret()).isEqualTo("the-url-secret");
		// What {pub}:SEARCH:{box} stores, and the original's tools read
		assertThat(box.exchange()).containsOnlyKeys("ID");
		assertThat(box.toString()).doesNotContain("dt1.payload.signature").doesNotContain("the-url-secret");
	}

	@Test
	void shouldKeepAnEarlierTicketAndSecretWhenAListingHasNone() {
		BoxCandidate earlier = BoxCandidate.of(
				exchange("203.0.113.7").withExtra(Map.of("PUBLISH_TICKET", "dt1.a.b", "URL_SECRET", "secret")),
				Map.of());
		BoxCandidate without = BoxCandidate.of(exchange("203.0.113.7"), Map.of());
		assertThat(without.orTrustOf(earlier).publishTicket()).isEqualTo("dt1.a.b");
		assertThat(without.orTrustOf(earlier).urlSecret()).isEqualTo("secret");
		assertThat(without.orTrustOf(null).publishTicket()).isNull();
		// A fresher ticket wins
		BoxCandidate fresher = BoxCandidate.of(exchange("203.0.113.7").withExtra(Map.of("PUBLISH_TICKET", "dt1.c.d")),
				Map.of());
		assertThat(fresher.orTrustOf(earlier).publishTicket()).isEqualTo("dt1.c.d");
		assertThat(fresher.orTrustOf(earlier).urlSecret()).isEqualTo("secret");
	}

	private static ExchangeRequest exchange(String ip) {
		String host = ip.contains(":") ? "[" + ip + "]" : ip;
		return ExchangeRequest.of(BOX, ip, 7070, "http://" + host + ":7070/dandelion/" + BOX + "/ws/", BoxMetrics.NONE);
	}

}
