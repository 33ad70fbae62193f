package io.dandelion.network.inprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.network.inprocess.TestNetwork.Box;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher in a real network: an entrance and boxes in loopback "cities" in the same
 * JVM, the shared test Redis, real WebSockets and real file servers.
 */
@Tag(TestRedis.TAG)
@WithTestNetwork
class PublisherNetworkTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String TOKYO = "127.0.2.10";

	private static final String FRANKFURT = "127.0.3.10";

	private static final String NEW_YORK = "127.0.4.10";

	@TempDir
	Path home;

	private TestNetwork network;

	@Test
	void shouldStoreAnUploadOnTwoBoxesAndRedirectToABoxServingTheExactBytes() {
		this.network.startBox(TOKYO);
		this.network.startBox(FRANKFURT);
		this.network.startBox(NEW_YORK);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 3);
		byte[] content = randomBytes(300_000);
		String location = client.put()
			.uri("/api/v1/files/videos/intro.mp4?ttl=120")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted()
			.returnResult(String.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
		assertThat(location).isEqualTo("/api/v1/files/videos/intro.mp4");
		String filePath = location.substring("/api/v1/files".length());
		Map<String, Object> state = awaitStored(client, filePath, 2);
		assertThat(state.get("sha256")).isEqualTo(sha256(content));
		assertThat(state.get("size")).isEqualTo(300_000);
		String redirect = TestNetwork.redirect(client, filePath, null);
		assertThat(redirect).contains("/" + nodeId(publisher) + filePath);
		byte[] served = TestNetwork.fetch(redirect);
		assertThat(served).isEqualTo(content);
		// The original's readers still find the file where they look
		Map<String, String> processed = TestRedis.commands()
			.hgetall(TestRedis.keys(nodeId(publisher)).processedFiles(filePath));
		assertThat(processed).containsEntry("MSG", "Success").containsEntry("FILE_PATH", filePath);
		assertThat(processed.get("ID")).startsWith("box-");
	}

	@Test
	void shouldAnswerAnUploadAtTheUrlItWasPutTo() throws Exception {
		this.network.startBox(TOKYO);
		this.network.startBox(FRANKFURT);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		String publisherId = nodeId(publisher);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 2);
		byte[] content = randomBytes(20_000);
		String put = client.put()
			.uri("/api/v1/files/videos/intro.mp4?ttl=120")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.location("/api/v1/files/videos/intro.mp4")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(put).contains("\"filePath\":\"/videos/intro.mp4\"")
			.contains("\"redirect\":\"/r/videos/intro.mp4\"")
			.doesNotContain(this.home.toString());
		// GET the same path: the file's state, with box URLs under the same name
		Map<String, Object> state = awaitStored(client, "/videos/intro.mp4", 2);
		assertThat(state.get("filePath")).isEqualTo("/videos/intro.mp4");
		assertThat(state.toString()).doesNotContain(this.home.toString());
		// /r/ the same path: a box serving the exact bytes, stored under the same name
		String url = TestNetwork.redirect(client, "/videos/intro.mp4", null);
		assertThat(URI.create(url).getRawPath()).endsWith("/" + publisherId + "/videos/intro.mp4");
		assertThat(TestNetwork.isSigned(url)).as("the redirect is signed: %s", url).isTrue();
		assertThat(TestNetwork.fetch(url)).isEqualTo(content);
		String ranked = client.get()
			.uri("/r/videos/intro.mp4?format=json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(ranked).contains("\"filePath\":\"/videos/intro.mp4\"").doesNotContain(this.home.toString());
		for (Box box : holders(state)) {
			assertThat(box.store().resolve(publisherId).resolve("videos/intro.mp4")).hasBinaryContent(content);
		}
	}

	@Test
	void shouldRedirectNamesWithBlanksPercentSignsAndQuestionMarksToTheirExactBytes() throws Exception {
		this.network.startBox(TOKYO);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		String publisherId = nodeId(publisher);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 1);
		String base = "http://127.0.0.1:" + publisher.getEnvironment().getProperty("local.server.port");
		// Each name as a URL writes it (encoded once), and as it is
		Map<String, String> names = Map.of("/odd%20names/a%20b.txt", "/odd names/a b.txt", "/odd%20names/100%25.txt",
				"/odd names/100%.txt", "/odd%20names/why%3F.txt", "/odd names/why?.txt",
				"/odd%20names/caf%C3%A9%23.txt", "/odd names/café#.txt");
		Map<String, byte[]> contents = new HashMap<>();
		names.forEach((encoded, name) -> {
			byte[] content = randomBytes(1_000 + contents.size());
			contents.put(encoded, content);
			client.put()
				.uri(URI.create(base + "/api/v1/files" + encoded + "?ttl=120"))
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.bodyValue(content)
				.exchange()
				.expectStatus()
				.isAccepted()
				.expectHeader()
				.location("/api/v1/files" + encoded);
		});
		for (Map.Entry<String, String> name : names.entrySet()) {
			await().atMost(WAIT)
				.until(() -> client.get()
					.uri(URI.create(base + "/api/v1/files" + name.getKey()))
					.exchange()
					.expectBody(Map.class)
					.returnResult()
					.getResponseBody(),
						(state) -> "stored".equals(state.get("state"))
								&& name.getValue().equals(state.get("filePath")));
			URI location = client.get()
				.uri(URI.create(base + "/r" + name.getKey()))
				.exchange()
				.expectStatus()
				.isFound()
				.returnResult(Void.class)
				.getResponseHeaders()
				.getLocation();
			assertThat(location.getRawPath()).as(name.getValue()).endsWith("/" + publisherId + name.getKey());
			assertThat(TestNetwork.fetch(location.toString())).as(name.getValue())
				.isEqualTo(contents.get(name.getKey()));
			assertThat(this.network.boxes().get(0).store().resolve(publisherId + name.getValue()))
				.hasBinaryContent(contents.get(name.getKey()));
		}
	}

	@Test
	void shouldPublishFilesQueuedByLocalPathUnderTheirPublicNames() throws Exception {
		this.network.startBox(TOKYO);
		this.network.startBox(FRANKFURT);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		String publisherId = nodeId(publisher);
		RedisKeys keys = TestRedis.keys(publisherId);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 2);
		Path root = this.network.localFiles();
		Path queued = Files.createDirectories(root.resolve("output/alice_src")).resolve("12.ts");
		byte[] content = randomBytes(7_000);
		Files.write(queued, content);
		// The original FileManager.push: the local path, into the Redis queue
		TestRedis.commands()
			.rpush(keys.filesSendingQueue(), "{\"FILE_PATH\": \"" + queued + "\", \"TTL\": 60, \"STREAM\": \"alice\"}");
		Map<String, Object> state = awaitStored(client, "/output/alice_src/12.ts", 2);
		assertThat(state.toString()).doesNotContain(root.toString());
		// Boxes store it under its public name, the path below its allowed root
		for (Box box : holders(state)) {
			Path stored = box.store().resolve(publisherId);
			assertThat(stored.resolve("output/alice_src/12.ts")).hasBinaryContent(content);
			assertThat(stored.resolve(queued.toString().substring(1))).doesNotExist();
		}
		String url = TestNetwork.redirect(client, "/output/alice_src/12.ts", null);
		assertThat(URI.create(url).getRawPath()).endsWith("/" + publisherId + "/output/alice_src/12.ts");
		assertThat(TestNetwork.isSigned(url)).as("the redirect is signed: %s", url).isTrue();
		assertThat(TestNetwork.fetch(url)).isEqualTo(content);
		// The original FileManager.ask still finds it under the path it pushed
		Map<String, String> processed = TestRedis.commands().hgetall(keys.processedFiles(queued.toString()));
		assertThat(processed).containsEntry("MSG", "Success")
			.containsEntry("FILE_PATH", queued.toString())
			.containsEntry("STREAM", "alice")
			.containsEntry("PUBLIC_NAME", "/output/alice_src/12.ts")
			.containsEntry("REDIRECT", "/r/output/alice_src/12.ts");
		assertThat(replicaIds(state)).contains(processed.get("ID"));
		assertThat(TestRedis.commands().exists(keys.fileState(queued.toString()))).isZero();

		// POST /api/v1/files, the same push over HTTP: answered with the public name only
		Path posted = Files.write(root.resolve("output/alice_src/13.ts"), content);
		String answer = client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("FILE_PATH", posted.toString(), "TTL", 60))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.location("/api/v1/files/output/alice_src/13.ts")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer).contains("\"filePath\":\"/output/alice_src/13.ts\"").doesNotContain(root.toString());
		awaitStored(client, "/output/alice_src/13.ts", 2);
		assertThat(TestRedis.commands().hgetall(keys.processedFiles(posted.toString()))).containsEntry("MSG", "Success")
			.containsEntry("PUBLIC_NAME", "/output/alice_src/13.ts");
	}

	@Test
	void shouldRedirectEachViewerToTheNearestBox() {
		Box tokyo = this.network.startBox(TOKYO);
		Box frankfurt = this.network.startBox(FRANKFURT);
		Box newYork = this.network.startBox(NEW_YORK);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.replicas=3");
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 3);
		String filePath = queueLocalFile(client, "near.ts", randomBytes(10_000), 60);
		awaitStored(client, filePath, 3);
		assertThat(TestNetwork.redirect(client, filePath, "127.0.2.77"))
			.contains("//" + tokyo.ip() + ":" + tokyo.dataPort() + "/");
		assertThat(TestNetwork.redirect(client, filePath, "127.0.3.77"))
			.contains("//" + frankfurt.ip() + ":" + frankfurt.dataPort() + "/");
		assertThat(TestNetwork.redirect(client, filePath, "127.0.4.77"))
			.contains("//" + newYork.ip() + ":" + newYork.dataPort() + "/");
		// The original FileManager.ask: every live URL, best first
		client.get()
			.uri("/r" + filePath + "?format=json")
			.header("X-Forwarded-For", "127.0.3.77")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.urls.length()")
			.isEqualTo(3)
			.jsonPath("$.urls[0]")
			.value((url) -> assertThat((String) url).contains("//" + frankfurt.ip() + ":"));
	}

	@Test
	void shouldStopRedirectingToAKilledBoxAndReplicateItsFiles() {
		Box tokyo = this.network.startBox(TOKYO);
		this.network.startBox(FRANKFURT);
		this.network.startBox(NEW_YORK);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 3);
		String filePath = queueLocalFile(client, "repair.ts", randomBytes(50_000), 120);
		Map<String, Object> state = awaitStored(client, filePath, 2);
		Set<String> holders = replicaIds(state);
		// Kill a box that holds the file
		Box victim = this.network.boxes()
			.stream()
			.filter((box) -> holders.contains(box.id()))
			.findFirst()
			.orElseThrow();
		victim.stop();
		long killed = System.nanoTime();
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			assertThat(TestNetwork.redirect(client, filePath, victim.ip().replaceAll("\\.\\d+$", ".99")))
				.doesNotContain("//" + victim.ip() + ":");
			client.get()
				.uri("/r" + filePath + "?format=json")
				.exchange()
				.expectBody()
				.jsonPath("$.urls[?(@ =~ /.*" + victim.ip().replace(".", "\\.") + ".*/)]")
				.isEmpty();
		});
		assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(2));
		// Re-replicated: two live replicas again, none on the dead box
		await().atMost(WAIT).untilAsserted(() -> {
			Map<String, Object> now = TestNetwork.describe(client, filePath);
			Set<String> live = liveReplicaIds(now);
			assertThat(live).hasSize(2).doesNotContain(victim.id());
		});
		assertThat(tokyo).isNotNull();
	}

	@Test
	void shouldDeliverEveryQueuedFileAfterARestart() throws Exception {
		this.network.startBox(TOKYO);
		this.network.startBox(FRANKFURT);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		String publisherId = nodeId(publisher);
		RedisKeys keys = TestRedis.keys(publisherId);
		publisher.close();
		// A crash mid-queue: tasks taken into the processing list, others still queued,
		// in the original FileManager.push format with an extra key
		List<String> paths = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Path file = this.network.localFiles().resolve("restart-" + i + ".ts");
			Files.write(file, randomBytes(5_000 + i));
			paths.add(file.toString());
			String task = "{\"FILE_PATH\": \"" + file + "\", \"TTL\": 60, \"STREAM\": \"alice\"}";
			if (i < 3) {
				TestRedis.commands().rpush(keys.filesProcessing(), task);
			}
			else {
				TestRedis.commands().rpush(keys.filesSendingQueue(), task);
			}
		}
		ConfigurableApplicationContext restarted = this.network.startPublisher(this.home);
		assertThat(nodeId(restarted)).isEqualTo(publisherId);
		WebTestClient client = TestNetwork.client(restarted);
		for (String path : paths) {
			// Published under its name, recorded for the original's readers under the
			// path it was pushed with
			awaitStored(client, "/" + Path.of(path).getFileName(), 2);
			assertThat(TestRedis.commands().hget(keys.processedFiles(path), "STREAM")).isEqualTo("alice");
		}
		assertThat(TestRedis.commands().llen(keys.filesProcessing())).isZero();
		assertThat(TestRedis.commands().llen(keys.filesSendingQueue())).isZero();
	}

	@Test
	void shouldFailFilesWithAReasonWhenNoBoxIsThere() throws Exception {
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.max-wait=2s");
		WebTestClient client = TestNetwork.client(publisher);
		String filePath = queueLocalFile(client, "lonely.ts", randomBytes(1_000), 60);
		await().atMost(WAIT).untilAsserted(() -> {
			Map<String, Object> state = TestNetwork.describe(client, filePath);
			assertThat(state.get("state")).isEqualTo("failed");
			assertThat((String) state.get("reason")).contains("no connected box");
		});
		// The task leaves the processing list just after its state was written
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(TestRedis.commands().llen(TestRedis.keys(nodeId(publisher)).filesProcessing()))
						.isZero());
	}

	@Test
	void shouldNotHoldAStoredFileForBoxesThatAreNotThere() {
		this.network.startBox(TOKYO);
		// Two replicas wanted, one box there, one file sent at a time, and waiting for
		// more boxes allowed for an hour: each file must still go on once its one box has
		// it
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.replicas=2", "publisher.publish.concurrency=1", "publisher.publish.max-wait=1h");
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 1);
		String first = queueLocalFile(client, "alone-1.ts", randomBytes(2_000), 60);
		String second = queueLocalFile(client, "alone-2.ts", randomBytes(2_000), 60);
		awaitStored(client, first, 1);
		awaitStored(client, second, 1);
	}

	@Test
	void shouldAnswerBadRequestsWithProblemDetails() throws Exception {
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		WebTestClient client = TestNetwork.client(publisher);
		problem(client.post().uri("/api/v1/files").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"TTL\": 5}"),
				HttpStatus.BAD_REQUEST, "FILE_PATH is missing");
		problem(client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"FILE_PATH\": \"relative/a.ts\"}"), HttpStatus.BAD_REQUEST, "absolute");
		problem(client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"FILE_PATH\": \"" + this.network.localFiles().resolve("missing.ts") + "\"}"),
				HttpStatus.BAD_REQUEST, "does not exist");
		Path outside = Files.createTempFile("outside", ".ts");
		problem(client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"FILE_PATH\": \"" + outside + "\"}"), HttpStatus.BAD_REQUEST, "outside the allowed");
		Path local = Files.write(this.network.localFiles().resolve("ok.ts"), new byte[] { 1 });
		problem(client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"FILE_PATH\": \"" + local + "\", \"TTL\": \"soon\"}"), HttpStatus.BAD_REQUEST, "TTL");
		problem(client.put()
			.uri(URI.create("http://127.0.0.1:" + TestNetwork.port(publisher) + "/api/v1/files/a/../../etc/passwd"))
			.bodyValue(new byte[] { 1 }), HttpStatus.BAD_REQUEST, "..");
		problem(client.put()
			.uri(URI.create("http://127.0.0.1:" + TestNetwork.port(publisher) + "/api/v1/files/a/%2e%2e/b.ts"))
			.bodyValue(new byte[] { 1 }), HttpStatus.BAD_REQUEST, null);
		problem(client.get().uri("/api/v1/files/nothing/here.ts"), HttpStatus.NOT_FOUND, "nothing/here.ts");
		problem(client.get().uri("/r/nothing/here.ts"), HttpStatus.NOT_FOUND, null);
		assertThat(Files.exists(this.home.resolve("etc"))).isFalse();
	}

	@Test
	void shouldRefuseAFileWhoseNameAnotherLocalFileHolds() throws Exception {
		Box tokyo = this.network.startBox(TOKYO);
		Path otherRoot = Files.createDirectories(this.home.resolve("other-root"));
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home.resolve("publisher"),
				"publisher.publish.replicas=1", "publisher.allowed-roots[1]=" + otherRoot);
		String publisherId = nodeId(publisher);
		RedisKeys keys = TestRedis.keys(publisherId);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 1);
		byte[] first = randomBytes(3_000);
		String name = queueLocalFile(client, "same.ts", first, 60);
		awaitStored(client, name, 1);
		// Two allowed roots holding the same relative path: first come, first served
		Path second = Files.write(otherRoot.resolve("same.ts"), randomBytes(4_000));
		String refused = client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("FILE_PATH", second.toString()))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(refused).contains("/same.ts").doesNotContain(this.home.toString());
		problem(client.put().uri("/api/v1/files/same.ts").bodyValue(new byte[] { 1 }), HttpStatus.CONFLICT, "/same.ts");
		// The original's queue: dropped, never recorded as published
		TestRedis.commands().rpush(keys.filesSendingQueue(), "{\"FILE_PATH\": \"" + second + "\"}");
		await().atMost(WAIT)
			.until(() -> TestRedis.commands().llen(keys.filesSendingQueue()) == 0
					&& TestRedis.commands().llen(keys.filesProcessing()) == 0);
		assertThat(TestRedis.commands().exists(keys.processedFiles(second.toString()))).isZero();
		assertThat(tokyo.store().resolve(publisherId).resolve("same.ts")).hasBinaryContent(first);
		assertThat(TestNetwork.describe(client, name).toString()).doesNotContain(this.home.toString())
			.doesNotContain(this.network.localFiles().toString());
		// The file holding the name may publish a new version
		client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("FILE_PATH", this.network.localFiles().resolve("same.ts").toString()))
			.exchange()
			.expectStatus()
			.isAccepted();
		// Names under /live/ are the watched streams'
		problem(client.put().uri("/api/v1/files/live/demo/0.ts").bodyValue(new byte[] { 1 }), HttpStatus.BAD_REQUEST,
				"reserved");
		Path live = Files.write(Files.createDirectories(otherRoot.resolve("live")).resolve("0.ts"), new byte[] { 1 });
		problem(client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("FILE_PATH", live.toString())), HttpStatus.BAD_REQUEST, "reserved");
	}

	@Test
	void shouldAnswerServiceUnavailableOrRedirectToTheOriginWhenNoBoxHoldsAFile() throws Exception {
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.max-wait=1s");
		WebTestClient client = TestNetwork.client(publisher);
		String filePath = queueLocalFile(client, "origin.ts", randomBytes(100), 60);
		problem(client.get().uri("/r" + filePath), HttpStatus.SERVICE_UNAVAILABLE, "No live box");
		publisher.close();
		ConfigurableApplicationContext withOrigin = this.network.startPublisher(this.home,
				"publisher.publish.max-wait=1s", "publisher.origin-base-url=http://origin.example:8000/hls");
		TestNetwork.client(withOrigin)
			.get()
			.uri("/r" + filePath)
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("http://origin.example:8000/hls" + filePath);
	}

	@Test
	void shouldListThePoolWithConnectionStateAndAckedFiles() {
		Box tokyo = this.network.startBox(TOKYO);
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.replicas=1");
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 1);
		String filePath = queueLocalFile(client, "pool.ts", randomBytes(100), 60);
		awaitStored(client, filePath, 1);
		client.get()
			.uri("/api/v1/boxes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].id")
			.isEqualTo(tokyo.id())
			.jsonPath("$[0].connection")
			.isEqualTo("READY")
			.jsonPath("$[0].city")
			.isEqualTo("Tokyo")
			.jsonPath("$[0].ackedFiles")
			.isEqualTo(1)
			.jsonPath("$[0].lastAckLatencyMillis")
			.isNumber();
		assertThat(TestRedis.commands().zscore(TestRedis.keys(nodeId(publisher)).boxRanking(), tokyo.id())).isNotNull();
		assertThat(TestRedis.commands().pttl(TestRedis.keys(nodeId(publisher)).search(tokyo.id()))).isPositive();
	}

	/**
	 * Queues a file of the allowed root over {@code POST /api/v1/files}.
	 * @return its public name
	 */
	private String queueLocalFile(WebTestClient client, String name, byte[] content, int ttl) {
		Path file = this.network.localFiles().resolve(name);
		try {
			Files.write(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		client.post()
			.uri("/api/v1/files")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("FILE_PATH", file.toString(), "TTL", ttl))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.location("/api/v1/files/" + name);
		// Named by its path below its allowed root
		return "/" + name;
	}

	private static void problem(WebTestClient.RequestHeadersSpec<?> request, HttpStatus status, String detail) {
		WebTestClient.BodyContentSpec body = request.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status.value());
		if (detail != null) {
			body.jsonPath("$.detail").value((text) -> assertThat((String) text).contains(detail));
		}
	}

	private static void awaitReadyBoxes(WebTestClient client, int count) {
		await().atMost(WAIT)
			.untilAsserted(() -> client.get()
				.uri("/api/v1/boxes")
				.exchange()
				.expectBody()
				.jsonPath("$[?(@.connection == 'READY')].length()")
				.value((ready) -> assertThat(((List<?>) ready)).hasSize(count)));
	}

	private static Map<String, Object> awaitStored(WebTestClient client, String filePath, int replicas) {
		await().atMost(WAIT).untilAsserted(() -> {
			Map<String, Object> state = TestNetwork.describe(client, filePath);
			assertThat(state.get("state")).as("state of %s: %s", filePath, state).isEqualTo("stored");
			assertThat(liveReplicaIds(state)).hasSize(replicas);
		});
		return TestNetwork.describe(client, filePath);
	}

	@SuppressWarnings("unchecked")
	private static Set<String> replicaIds(Map<String, Object> state) {
		return ((List<Map<String, Object>>) state.getOrDefault("replicas", List.of())).stream()
			.map((replica) -> (String) replica.get("boxId"))
			.collect(Collectors.toSet());
	}

	private List<Box> holders(Map<String, Object> state) {
		Set<String> ids = replicaIds(state);
		return this.network.boxes().stream().filter((box) -> ids.contains(box.id())).toList();
	}

	@SuppressWarnings("unchecked")
	private static Set<String> liveReplicaIds(Map<String, Object> state) {
		return ((List<Map<String, Object>>) state.getOrDefault("replicas", List.of())).stream()
			.filter((replica) -> Boolean.TRUE.equals(replica.get("live")))
			.map((replica) -> (String) replica.get("boxId"))
			.collect(Collectors.toSet());
	}

	private static String nodeId(ConfigurableApplicationContext publisher) {
		return publisher.getBean(NodeId.class).value();
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
