package io.dandelion.network.inprocess;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.ReportReply;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchReply;
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
import io.dandelion.network.inprocess.TestNetwork.Box;
import io.dandelion.publisher.publish.PublicNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * What the publisher does with viewers' reports ({@code POST /api/v1/reports}): it
 * believes none. It fetches the reported copy itself, from the box, with its own signed
 * URL, and only a mismatch it saw excludes the box (no files, no redirects, its copies
 * published elsewhere) and goes to the entrances as a signed REPORT. A URL that is not
 * exactly a pool box's URL of the file is refused without fetching anything, and each
 * client may only send so many.
 */
@Tag(TestRedis.TAG)
@ExtendWith(OutputCaptureExtension.class)
@WithTestNetwork
class ViewerReportTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String ENTRANCE_ID = NodeId.random(Role.ENTRANCE).value();

	private static final String NAME = "/reports/clip.bin";

	private final MessageCodec codec = new MessageCodec();

	@TempDir
	Path home;

	@TempDir
	Path boxBase;

	private TestNetwork network;

	private EntranceStandIn entrance;

	private OriginalBoxStandIn box;

	private DisposableServer foreign;

	private final List<String> foreignRequests = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeWhatTheTestAdded() {
		if (this.foreign != null) {
			this.foreign.disposeNow();
		}
		if (this.box != null) {
			this.box.close();
		}
		if (this.entrance != null) {
			this.entrance.close();
		}
	}

	@Test
	void shouldConfirmOnlyAMismatchItSawItselfThenExcludeTheBoxAndReportIt(CapturedOutput output)
			throws IOException, AuthException {
		// The network's entrance holds the credential; the stand-in shows what the
		// publisher sends
		NodeCredential credential = NodeCredential.parse(this.network.issueCredential(Role.PUBLISHER));
		this.entrance = new EntranceStandIn(this::answerReportsAndSearches);
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		// One replica: the file is on one box, and re-published to the other
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.replicas=1", "publisher.entrance-urls[1]=" + this.entrance.url(),
				"dandelion.security.credential=" + credential.format());
		String publisherId = publisher.getBean(NodeId.class).value();
		WebTestClient client = TestNetwork.client(publisher);
		WebTestClient viewer = TestClients.local(TestNetwork.port(publisher));
		await().atMost(WAIT)
			.until(() -> List.of(tokyo, frankfurt)
				.stream()
				.allMatch((box) -> "READY".equals(TestNetwork.box(client, box.id()).get("connection"))));
		byte[] content = randomBytes(50_000);
		upload(client, content);
		Map<String, Object> replica = await().atMost(WAIT).until(() -> storedReplica(client), (found) -> found != null);
		Box holder = tokyo.id().equals(replica.get("boxId")) ? tokyo : frankfurt;
		Box other = (holder == tokyo) ? frankfurt : tokyo;
		String url = (String) replica.get("url");
		String wrong = sha256Of(randomBytes(10));

		// The box serves the published bytes: whatever the viewer says, nothing happens
		report(viewer, NAME, url, wrong).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.verdict")
			.isEqualTo("not-confirmed");
		assertThat(TestNetwork.box(client, holder.id())).containsEntry("live", true);
		assertThat(TestNetwork.box(client, holder.id()).get("excludedUntil")).isNull();

		// The owner of the box changes the file behind its back: the publisher sees it
		TestNetwork.tamper(holder.stored(publisherId, NAME));
		report(viewer, NAME, url, wrong).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.verdict")
			.isEqualTo("confirmed");
		Map<String, Object> excluded = TestNetwork.box(client, holder.id());
		assertThat(excluded).containsEntry("live", false);
		assertThat(Instant.parse((String) excluded.get("excludedUntil")))
			.isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
		assertThat(output.getAll()).contains("Excluded box " + holder.id());

		// Its copy is forgotten and the file published to the other box, where /r/ sends
		// viewers from now on; the excluded box is never connected to again
		await().atMost(WAIT).untilAsserted(() -> assertThat(redirect(client)).startsWith(url(other)));
		assertThat(TestNetwork.box(client, holder.id())).containsEntry("live", false);
		assertThat(TestNetwork.describe(client, NAME).toString()).doesNotContain(holder.id());
		assertThat(TestNetwork.fetch(redirect(client))).isEqualTo(content);

		// Every entrance it searches is told, with a REPORT proving the credential
		ReportRequest sent = await().atMost(WAIT).until(this::reportSent, (found) -> found != null);
		assertThat(sent.id()).isEqualTo(publisherId);
		assertThat(sent.boxId()).isEqualTo(holder.id());
		assertThat(sent.filePath()).isEqualTo(NAME);
		assertThat(sent.reason()).isEqualTo(ReportRequest.SHA256_MISMATCH);
		MessageAuth.Proof proof = MessageAuth.proof(sent).orElseThrow();
		assertThatCode(() -> MessageAuth.verify(sent, proof, credential.secret())).doesNotThrowAnyException();
		String reported = "Reported box " + holder.id() + " (SHA256_MISMATCH " + NAME + ") to entrance ";
		await().atMost(WAIT).untilAsserted(() -> assertThat(output.getAll()).contains(reported + this.entrance.url()));
		// The network's entrance too, which counts it against the box
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(output.getAll()).contains(reported + this.network.entranceUrl())
				.contains("Box " + holder.id() + " reported by " + publisherId));
		assertThat(output.getAll()).doesNotContain(credential.encodedSecret());
		assertThat(this.entrance.received().stream().filter((text) -> text.contains("\"REPORT\""))).hasSize(1);

		// Another report of the excluded box changes nothing more
		report(viewer, NAME, url, wrong).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.verdict")
			.isEqualTo("confirmed");
		assertThat(this.entrance.received().stream().filter((text) -> text.contains("\"REPORT\""))).hasSize(1);
	}

	@Test
	void shouldRefuseReportsOfAnythingButACopyOnAPoolBoxAndFetchNothing() throws IOException {
		NodeCredential boxCredential = NodeCredential.random(NodeId.random(Role.BOX));
		Set<String> tickets = ConcurrentHashMap.newKeySet();
		this.box = new OriginalBoxStandIn("127.0.9.30", this.boxBase,
				new OriginalBoxStandIn.Checks(boxCredential.urlSecret(), tickets));
		ExchangeRequest listed = ((ExchangeRequest) this.codec.decode(this.box.exchange())).withExtra(Map
			.of(ViewerUrlSignature.SECRET_FIELD, boxCredential.urlSecret(), PublishTicket.FIELD, ticket(tickets)));
		this.entrance = new EntranceStandIn(() -> this.codec
			.encode(new SearchReply(ENTRANCE_ID, "127.0.0.1", 7070, Map.of(this.box.id(), listed), List.of())));
		this.foreign = HttpServer.create().host("127.0.9.31").port(0).handle((request, response) -> {
			this.foreignRequests.add(request.uri());
			return response.status(HttpResponseStatus.OK).sendString(Mono.just("bytes"));
		}).bindNow();
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.replicas=1", "publisher.entrance-urls[1]=" + this.entrance.url());
		String publisherId = publisher.getBean(NodeId.class).value();
		WebTestClient client = TestNetwork.client(publisher);
		WebTestClient viewer = TestClients.local(TestNetwork.port(publisher));
		upload(client, randomBytes(20_000));
		Map<String, Object> replica = await().atMost(WAIT).until(() -> storedReplica(client), (found) -> found != null);
		String url = (String) replica.get("url");
		String base = "http://" + this.box.ip() + ":" + OriginalBoxStandIn.DATA_PORT;
		String wrong = sha256Of(randomBytes(10));
		// The publisher fetched its copy back (the stand-in sends no STORED replies)
		int fetched = this.box.fileRequests().size();
		assertThat(fetched).isPositive();

		// Not a box of its pool
		refused(report(viewer, NAME, "http://127.0.9.31:" + this.foreign.port() + "/" + publisherId + NAME, wrong),
				HttpStatus.NOT_FOUND);
		// Another path on the box, however spelled
		refused(report(viewer, NAME, base + "/publisher-other" + NAME, wrong), HttpStatus.BAD_REQUEST);
		refused(report(viewer, NAME, base + "/" + publisherId + "/reports/../reports/clip.bin", wrong),
				HttpStatus.BAD_REQUEST);
		refused(report(viewer, NAME, base + "/" + publisherId + "/reports/%2e%2e/reports/clip.bin", wrong),
				HttpStatus.BAD_REQUEST);
		refused(report(viewer, "/reports/../../etc/passwd", base + "/" + publisherId + "/etc/passwd", wrong),
				HttpStatus.BAD_REQUEST);
		// Not how the box serves it: it says DATA_SCHEME http
		refused(report(viewer, NAME, url.replace("http://", "https://"), wrong), HttpStatus.NOT_FOUND);
		// Not a box's file URL
		refused(report(viewer, NAME, url.replace("http://", "ftp://"), wrong), HttpStatus.BAD_REQUEST);
		refused(report(viewer, NAME, url.replace("http://", "http://viewer@"), wrong), HttpStatus.BAD_REQUEST);
		refused(report(viewer, NAME, "file:///etc/passwd", wrong), HttpStatus.BAD_REQUEST);
		// Not a digest
		refused(report(viewer, NAME, url, "not-a-digest"), HttpStatus.BAD_REQUEST);
		// A file the box does not hold for this publisher
		refused(report(viewer, "/reports/other.bin", base + "/" + publisherId + "/reports/other.bin", wrong),
				HttpStatus.NOT_FOUND);
		viewer.post()
			.uri("/api/v1/reports")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"FILE_PATH\": ")
			.exchange()
			.expectStatus()
			.isBadRequest();
		viewer.post()
			.uri("/api/v1/reports")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"URL\": \"" + url + "\"}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(this.foreignRequests).as("requests to the foreign server").isEmpty();
		assertThat(this.box.fileRequests()).as("requests to the box").hasSize(fetched);

		// The box's own URL of the file: fetched once, signed (the box answers 403
		// otherwise, and nothing could be confirmed)
		report(viewer, NAME, url, wrong).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.verdict")
			.isEqualTo("not-confirmed");
		assertThat(this.box.fileRequests()).hasSize(fetched + 1);
		TestNetwork.tamper(this.box.stored(publisherId, NAME));
		report(viewer, NAME, url, wrong).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.verdict")
			.isEqualTo("confirmed");
		assertThat(this.box.fileRequests()).hasSize(fetched + 2)
			.allSatisfy((request) -> assertThat(request).contains(ViewerUrlSignature.MD5_PARAMETER + "="));
		assertThat(TestNetwork.box(client, this.box.id())).containsEntry("live", false);
		assertThat(this.foreignRequests).isEmpty();
	}

	@Test
	void shouldTakeOnlySoManyReportsFromOneClient() {
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		WebTestClient viewer = TestClients.local(TestNetwork.port(publisher));
		String url = "http://127.0.2.99:7072/" + publisher.getBean(NodeId.class).value() + NAME;
		String wrong = sha256Of(randomBytes(10));
		for (int i = 0; i < 20; i++) {
			// Counted whatever becomes of them: here no box of the pool is there
			report(viewer, "203.0.113.7", NAME, url, wrong).expectStatus().isNotFound();
		}
		report(viewer, "203.0.113.7", NAME, url, wrong).expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// Another viewer is not held back by that one
		report(viewer, "203.0.113.8", NAME, url, wrong).expectStatus().isNotFound();
	}

	private static void refused(WebTestClient.ResponseSpec response, HttpStatus status) {
		response.expectStatus().isEqualTo(status).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/**
	 * The stand-in entrance: REPORT accepted, any other message answered with no boxes.
	 */
	private String answerReportsAndSearches(String text) {
		Message message = this.codec.decode(text);
		if (message instanceof ReportRequest) {
			return this.codec.encode(new ReportReply(ENTRANCE_ID, "127.0.0.1", 7070, Commands.ACCEPTED));
		}
		return this.codec.encode(new SearchReply(ENTRANCE_ID, "127.0.0.1", 7070, Map.of(), List.of()));
	}

	private ReportRequest reportSent() {
		return this.entrance.received()
			.stream()
			.map(this.codec::decode)
			.filter(ReportRequest.class::isInstance)
			.map(ReportRequest.class::cast)
			.findFirst()
			.orElse(null);
	}

	/** A ticket for the stand-in box, which accepts it. */
	private String ticket(Set<String> accepted) {
		String ticket = new PublishTicket(ENTRANCE_ID, NodeId.random(Role.PUBLISHER).value(), this.box.id(),
				Instant.now().plusSeconds(300))
			.sign(Ed25519Keys.generate().getPrivate());
		accepted.add(ticket);
		return ticket;
	}

	private static void upload(WebTestClient client, byte[] content) {
		client.put()
			.uri("/api/v1/files" + NAME + "?ttl=600")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted();
	}

	/** The file's one replica once stored, else {@code null}. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> storedReplica(WebTestClient client) {
		Map<String, Object> file = TestNetwork.describe(client, NAME);
		if (file == null || !"stored".equals(file.get("state"))) {
			return null;
		}
		List<Map<String, Object>> replicas = (List<Map<String, Object>>) file.get("replicas");
		return (replicas.size() == 1 && replicas.get(0).get("url") != null) ? replicas.get(0) : null;
	}

	private static String redirect(WebTestClient client) {
		URI location = client.get()
			.uri("/r" + PublicNames.encode(NAME))
			.exchange()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		return (location != null) ? location.toString() : "";
	}

	private static String url(Box box) {
		return "http://" + box.ip() + ":" + box.dataPort() + "/";
	}

	/** A viewer's report, without a token. */
	private static WebTestClient.ResponseSpec report(WebTestClient viewer, String filePath, String url, String sha256) {
		return report(viewer, null, filePath, url, sha256);
	}

	/**
	 * A viewer's report from the given address (the publisher trusts the test's proxy).
	 */
	private static WebTestClient.ResponseSpec report(WebTestClient viewer, String address, String filePath, String url,
			String sha256) {
		WebTestClient.RequestBodySpec post = viewer.post()
			.uri("/api/v1/reports")
			.contentType(MediaType.APPLICATION_JSON);
		if (address != null) {
			post.header("X-Forwarded-For", address);
		}
		return post.bodyValue(Map.of("FILE_PATH", filePath, "URL", url, "SHA256", sha256)).exchange();
	}

	private static String sha256Of(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

}
