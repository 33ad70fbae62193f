package io.dandelion.network.inprocess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.publisher.publish.PublicNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * The publisher's side of trust, against a stand-in entrance that shows what the
 * publisher sends and hands out tickets and URL secrets as ours does, and a stand-in box
 * that checks them as a strict box of ours does: every SEARCH proves the credential,
 * PUBLISH carries the entrance's ticket, and every URL the publisher sends a viewer (or
 * fetches a copy back from) to the box is signed, while the ticket and the secret never
 * show in the REST API, in Redis or in the log.
 */
@Tag(TestRedis.TAG)
@ExtendWith(OutputCaptureExtension.class)
@WithTestNetwork
class PublisherTrustTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String ENTRANCE_ID = NodeId.random(Role.ENTRANCE).value();

	private final MessageCodec codec = new MessageCodec();

	private final NodeCredential credential = NodeCredential.random(NodeId.random(Role.PUBLISHER));

	private final NodeCredential boxCredential = NodeCredential.random(NodeId.random(Role.BOX));

	@TempDir
	Path home;

	@TempDir
	Path boxBase;

	private TestNetwork network;

	private EntranceStandIn entrance;

	private OriginalBoxStandIn box;

	@AfterEach
	void closeWhatTheTestAdded() {
		if (this.box != null) {
			this.box.close();
		}
		if (this.entrance != null) {
			this.entrance.close();
		}
	}

	@Test
	void shouldProveItsCredentialInEverySearch() throws AuthException {
		this.entrance = new EntranceStandIn(() -> this.codec.encode(reply(Map.of())));
		ConfigurableApplicationContext publisher = startPublisher();
		assertThat(publisher.getBean(NodeId.class)).isEqualTo(this.credential.id());
		await().atMost(WAIT).until(() -> this.entrance.received().size() >= 3);
		long previous = 0;
		for (String text : this.entrance.received()) {
			SearchRequest search = (SearchRequest) this.codec.decode(text);
			assertThat(search.id()).isEqualTo(this.credential.id().value());
			MessageAuth.Proof proof = MessageAuth.proof(search).orElseThrow();
			assertThatCode(() -> MessageAuth.verify(search, proof, this.credential.secret()))
				.doesNotThrowAnyException();
			assertThat(Duration.between(proof.instant(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(30));
			// A fresh proof each time: an entrance refuses a time it already accepted
			assertThat(proof.time()).isGreaterThan(previous);
			previous = proof.time();
		}
	}

	@Test
	void shouldPublishWithTheTicketOfTheSearchReplyAndSignEveryUrlToTheBox(CapturedOutput output) throws IOException {
		Set<String> accepted = ConcurrentHashMap.newKeySet();
		this.box = new OriginalBoxStandIn("127.0.9.20", this.boxBase,
				new OriginalBoxStandIn.Checks(this.boxCredential.urlSecret(), accepted));
		String ticket = ticket();
		accepted.add(ticket);
		this.entrance = new EntranceStandIn(() -> this.codec.encode(reply(
				Map.of(PublishTicket.FIELD, ticket, ViewerUrlSignature.SECRET_FIELD, this.boxCredential.urlSecret()))));
		Path watch = this.home.resolve("hls");
		ConfigurableApplicationContext publisher = startPublisher("publisher.publish.replicas=1",
				"publisher.live.watch-dirs[0]=" + watch, "publisher.live.rescan-period=200ms",
				"publisher.live.segment-urls=box");
		WebTestClient client = TestNetwork.client(publisher);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(TestNetwork.box(client, this.box.id())).containsEntry("connection", "READY")
				.containsEntry("publishTicket", true)
				.containsEntry("urlSecret", true));
		assertThat(this.box.publishes()).isNotEmpty()
			.allSatisfy((publish) -> assertThat(publish).containsEntry(PublishTicket.FIELD, ticket)
				.containsEntry("ID", this.credential.id().value()));

		// Stored only if the publisher's fetch-back of the copy was signed: the box
		// answers 403 to anything else
		String name = "/trust/my clip é.ts";
		byte[] content = randomBytes(40_000);
		client.put()
			.uri(publisherUrl(publisher, "/api/v1/files" + PublicNames.encode(name) + "?ttl=120"))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(describe(client, publisher, name)).contains("\"state\":\"stored\""));

		URI location = client.get()
			.uri(publisherUrl(publisher, "/r" + PublicNames.encode(name)))
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		String decodedPath = "/" + this.credential.id().value() + name;
		assertThat(location.getRawPath()).isEqualTo(PublicNames.encode(decodedPath));
		assertThat(isSigned(location, decodedPath)).isTrue();
		assertThat(fetch(location)).isEqualTo(content);
		// The same URL unsigned is refused by the box
		viewer().get()
			.uri(URI.create(location.toString().substring(0, location.toString().indexOf('?'))))
			.exchange()
			.expectStatus()
			.isForbidden();

		// A segment in a rewritten playlist points at the box, signed
		byte[] segment = randomBytes(9_000);
		Files.createDirectories(watch.resolve("cam"));
		Files.write(watch.resolve("cam/0.ts"), segment);
		Files.writeString(watch.resolve("cam/index.m3u8"), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n"
				+ "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n0.ts\n#EXT-X-ENDLIST\n");
		String segmentUrl = await().atMost(WAIT).until(() -> segmentUri(client), (uri) -> uri.startsWith("http://"));
		URI segmentUri = URI.create(segmentUrl);
		assertThat(segmentUri.getRawPath()).isEqualTo("/" + this.credential.id().value() + "/live/cam/0.ts");
		assertThat(isSigned(segmentUri, "/" + this.credential.id().value() + "/live/cam/0.ts")).isTrue();
		assertThat(fetch(segmentUri)).isEqualTo(segment);
		// Players need the same URI on the next reload
		assertThat(segmentUri(client)).isEqualTo(segmentUrl);

		// The ticket and the secret stay inside the publisher
		String ranked = client.get()
			.uri(publisherUrl(publisher, "/r" + PublicNames.encode(name) + "?format=json"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(ranked).contains(location.toString());
		String boxes = client.get()
			.uri("/api/v1/boxes")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		Map<String, String> searched = TestRedis.commands()
			.hgetall(TestRedis.keys(this.credential.id().value()).search(this.box.id()));
		assertThat(searched).containsEntry("ID", this.box.id());
		for (String text : List.of(ranked, boxes, describe(client, publisher, name), searched.toString())) {
			assertThat(text).doesNotContain(ticket)
				.doesNotContain(this.boxCredential.urlSecret())
				.doesNotContain(PublishTicket.FIELD)
				.doesNotContain(ViewerUrlSignature.SECRET_FIELD);
		}
		assertThat(output.getAll()).doesNotContain(ticket)
			.doesNotContain(this.boxCredential.urlSecret())
			.doesNotContain(this.credential.encodedSecret());
	}

	@Test
	void shouldWaitForTheTicketOfTheNextSearchAfterABoxRefusedOne(CapturedOutput output) {
		Set<String> acceptedTickets = ConcurrentHashMap.newKeySet();
		this.box = new OriginalBoxStandIn("127.0.9.21", this.boxBase,
				new OriginalBoxStandIn.Checks(this.boxCredential.urlSecret(), acceptedTickets));
		String refused = ticket();
		String accepted = ticket();
		acceptedTickets.add(accepted);
		Supplier<String> withRefused = () -> this.codec.encode(reply(Map.of(PublishTicket.FIELD, refused)));
		this.entrance = new EntranceStandIn(withRefused);
		// Reconnecting fast: without waiting for the next SEARCH the publisher would try
		// the refused ticket several times per SEARCH
		ConfigurableApplicationContext publisher = startPublisher("publisher.pool.reconnect-min=20ms",
				"publisher.pool.reconnect-max=40ms");
		WebTestClient client = TestNetwork.client(publisher);
		await().atMost(WAIT).until(() -> this.box.publishes().size() >= 3);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(output.getAll()).contains("Box " + this.box.id() + " refused PUBLISH")
				.contains("BAD_TICKET"));
		Map<String, Object> status = TestNetwork.box(client, this.box.id());
		assertThat(status.get("connection")).isNotEqualTo("READY");
		assertThat(((Number) status.get("failures")).intValue()).isPositive();
		int searches = this.entrance.received().size();
		int attempts = this.box.publishes().size();
		// One attempt per SEARCH at most (the first came with the first SEARCH)
		assertThat(attempts).isLessThanOrEqualTo(searches + 1);

		this.entrance.answer(() -> this.codec.encode(reply(Map.of(PublishTicket.FIELD, accepted))));
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(TestNetwork.box(client, this.box.id())).containsEntry("connection", "READY"));
		List<Map<String, Object>> publishes = this.box.publishes();
		assertThat(publishes.get(publishes.size() - 1)).containsEntry(PublishTicket.FIELD, accepted);
		assertThat(output.getAll()).doesNotContain(refused).doesNotContain(accepted);
	}

	@Test
	void shouldLogAnEntrancesRefusalOncePerChange(CapturedOutput output) {
		this.entrance = new EntranceStandIn(() -> this.codec.encode(refusal("UNAUTHENTICATED")));
		startPublisher();
		String refusedLine = "SEARCH at " + this.entrance.url() + " refused";
		await().atMost(WAIT).until(() -> this.entrance.received().size() >= 4);
		assertThat(occurrences(output.getAll(), refusedLine)).isOne();
		assertThat(output.getAll())
			.contains("does not hold the credential set in CREDENTIAL for " + this.credential.id().value());

		int seen = this.entrance.received().size();
		this.entrance.answer(() -> this.codec.encode(refusal("STALE_REQUEST")));
		await().atMost(WAIT).until(() -> this.entrance.received().size() >= seen + 4);
		assertThat(occurrences(output.getAll(), refusedLine)).isEqualTo(2);
		assertThat(output.getAll()).contains("clock");

		this.entrance.answer(() -> this.codec.encode(reply(Map.of())));
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(output.getAll()).contains("SEARCH at " + this.entrance.url() + " works again"));
	}

	private ConfigurableApplicationContext startPublisher(String... settings) {
		String[] all = new String[settings.length + 2];
		System.arraycopy(settings, 0, all, 0, settings.length);
		all[settings.length] = "publisher.entrance-urls[1]=" + this.entrance.url();
		all[settings.length + 1] = "dandelion.security.credential=" + this.credential.format();
		return this.network.startPublisher(this.home, all);
	}

	/** A SEARCH reply listing the stand-in box, if any, with the given extra fields. */
	private SearchReply reply(Map<String, String> trust) {
		if (this.box == null) {
			return new SearchReply(ENTRANCE_ID, "127.0.0.1", 7070, Map.of(), List.of());
		}
		ExchangeRequest exchange = ((ExchangeRequest) this.codec.decode(this.box.exchange())).withExtra(trust);
		return new SearchReply(ENTRANCE_ID, "127.0.0.1", 7070, Map.of(this.box.id(), exchange), List.of());
	}

	private static ErrorReply refusal(String code) {
		return new ErrorReply(ENTRANCE_ID, "127.0.0.1", 7070, "ENTRANCE", "SEARCH refused", code, List.of());
	}

	/** A ticket as an entrance signs it, for this publisher and the stand-in box. */
	private String ticket() {
		return new PublishTicket(ENTRANCE_ID, this.credential.id().value(), this.box.id(),
				Instant.now().plusSeconds(300))
			.sign(Ed25519Keys.generate().getPrivate());
	}

	/** Whether a URL carries a signature the box accepts for the decoded path. */
	private boolean isSigned(URI url, String decodedPath) {
		Map<String, String> query = UriComponentsBuilder.fromUri(url).build().getQueryParams().toSingleValueMap();
		return ViewerUrlSignature.isValid(decodedPath, query.get(ViewerUrlSignature.MD5_PARAMETER),
				query.get(ViewerUrlSignature.EXPIRES_PARAMETER), this.boxCredential.urlSecret(), Instant.now());
	}

	private static byte[] fetch(URI url) {
		return viewer().get()
			.uri(url)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
	}

	private static String segmentUri(WebTestClient client) {
		String playlist = client.get()
			.uri("/live/cam/index.m3u8")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return (playlist == null) ? ""
				: playlist.lines().filter((line) -> line.contains("0.ts")).findFirst().orElse("");
	}

	/** A viewer's client: URLs are sent exactly as given. */
	private static WebTestClient viewer() {
		return TestClients.to("http://127.0.0.1");
	}

	private static String describe(WebTestClient client, ConfigurableApplicationContext publisher, String name) {
		return client.get()
			.uri(publisherUrl(publisher, "/api/v1/files" + PublicNames.encode(name)))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** An absolute URL of the publisher: the path is sent as encoded here. */
	private static URI publisherUrl(ConfigurableApplicationContext publisher, String encodedPathAndQuery) {
		return URI.create("http://127.0.0.1:" + TestNetwork.port(publisher) + encodedPathAndQuery);
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

}
