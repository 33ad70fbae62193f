package io.dandelion.agent.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.agent.publish.PublisherTestClient.Fragments;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher WebSocket against a running box in strict mode, its publishers holding
 * tickets: real WebSocket client, real Redis, real files in a temporary directory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "box.store.expire-files-freq=200ms", "box.serving.data-port=0" })
@WithTestRedis
class PublishWebSocketHandlerTests {

	private static final Path temp = createTempDirectory();

	private static final Path base = temp.resolve("store");

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId boxId;

	private PublisherTestClient client;

	private String publisherId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, TestTrust.boxCredential());
	}

	@BeforeEach
	void connect() {
		this.client = new PublisherTestClient(this.port, this.boxId.value());
		this.publisherId = NodeId.random(Role.PUBLISHER).value();
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(NodeId.parse(boxIdOnDisk()).value()).prefix());
	}

	@Test
	void shouldAcceptPublishAndKeepTheMessage() {
		Conversation conversation = this.client.exchange(1, this.client.publish(this.publisherId));
		Map<String, Object> reply = conversation.reply(0);
		assertThat(reply).containsEntry("ID", this.boxId.value())
			.containsEntry("MESSAGE", "ACCEPTED")
			.containsEntry("COMMAND", "PUBLISH")
			.containsEntry("TYPE", "BOX")
			// Bound to every interface and not told otherwise: the address its heartbeats
			// name too, never 0.0.0.0
			.containsEntry("IP", "127.0.0.1")
			.containsEntry("PORT", this.port);
		assertThat(base.resolve(this.publisherId)).isDirectory();
		Map<String, String> hash = TestRedis.commands()
			.hgetall(TestRedis.keys(this.boxId.value()).exchange(this.publisherId));
		assertThat(hash).containsEntry("ID", this.publisherId)
			.containsEntry("IP", "127.0.0.1")
			.containsEntry("TYPE", "PUBLISHER")
			.containsEntry("COMMAND", "PUBLISH");
	}

	@Test
	void shouldRefusePublishWithNullIpAndKeepTheSession() {
		String nullIp = "{\"ID\": \"" + this.publisherId
				+ "\", \"IP\": null, \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"PUBLISH\"}";
		Conversation conversation = this.client.exchange(2, nullIp, this.client.publish(this.publisherId));
		assertThat((String) conversation.reply(0).get("ERROR")).startsWith(ErrorReply.WRONG_FORMAT);
		assertThat(conversation.reply(0)).containsEntry("ERROR_CODE", "EMPTY_FIELD")
			.containsEntry("ID", this.boxId.value())
			.containsEntry("TYPE", "BOX")
			.containsEntry("PORT", this.port);
		assertThat(conversation.reply(1)).containsEntry("MESSAGE", "ACCEPTED");
	}

	@Test
	void shouldRefusePublishWithoutType() {
		String noType = "{\"ID\": \"" + this.publisherId + "\", \"IP\": \"127.0.0.1\", \"COMMAND\": \"PUBLISH\"}";
		Conversation conversation = this.client.exchange(1, noType);
		assertThat((String) conversation.reply(0).get("ERROR")).startsWith(ErrorReply.WRONG_FORMAT);
		assertThat(conversation.reply(0)).containsEntry("ERROR_CODE", "MISSING_FIELD");
	}

	@Test
	void shouldAnswerUnknownTextAfterPublishWithAnErrorAndKeepTheSession() {
		byte[] content = "still open".getBytes(StandardCharsets.UTF_8);
		Conversation conversation = this.client.exchange(3, this.client.publish(this.publisherId), "not json",
				PublisherTestClient.frame("/a.txt", 0, content));
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "INVALID_JSON");
		assertThat(conversation.reply(2)).containsEntry("COMMAND", "STORED").containsEntry("SIZE", content.length);
	}

	/**
	 * The original's publisher dispatches every reply by COMMAND and drops the connection
	 * on one it does not know: a publisher that did not ask for {@code dandelion.v2} gets
	 * no STORED, while PUBLISH and ERROR replies (which the original knows) still come.
	 */
	@Test
	void shouldSendNoStoredAckToAPublisherThatAskedForNone() throws IOException {
		byte[] content = randomBytes(4096);
		Conversation conversation = PublisherTestClient.original(this.port, this.boxId.value())
			.exchange(2, this.client.publish(this.publisherId), PublisherTestClient.frame("/quiet.ts", 60, content),
					"not json");
		assertThat(conversation.reply(0)).containsEntry("MESSAGE", "ACCEPTED").containsEntry("COMMAND", "PUBLISH");
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "INVALID_JSON").doesNotContainKey("COMMAND");
		Path stored = base.resolve(this.publisherId).resolve("quiet.ts");
		assertThat(Files.readAllBytes(stored)).isEqualTo(content);
		assertThat(TestRedis.commands().zscore(TestRedis.keys(this.boxId.value()).expireFiles(), stored.toString()))
			.isNotNull();
	}

	@Test
	void shouldStoreOneMebibyteFileKeptForever() throws IOException {
		byte[] content = randomBytes(1024 * 1024);
		byte[] frame = PublisherTestClient.frame("{\"FILE_PATH\": \"/tmp/test.txt\", \"TTL\": \"0\"}", content);
		Conversation conversation = this.client.exchange(2, this.client.publish(this.publisherId), frame);
		assertThat(conversation.reply(1)).containsEntry("COMMAND", "STORED")
			.containsEntry("ID", this.boxId.value())
			.containsEntry("FILE_PATH", "/tmp/test.txt")
			.containsEntry("SIZE", content.length)
			.containsEntry("SHA256", PublisherTestClient.sha256(content))
			.doesNotContainKey("ERROR");
		Path stored = base.resolve(this.publisherId).resolve("tmp/test.txt");
		assertThat(Files.readAllBytes(stored)).isEqualTo(content);
		assertThat(TestRedis.commands().zscore(TestRedis.keys(this.boxId.value()).expireFiles(), stored.toString()))
			.isNull();
		assertNoTemporaryFiles();
	}

	/**
	 * A box that replaces an original box on the same store and Redis finds the expiry
	 * records the original wrote (its {@code on_BINARY}: {@code ZADD
	 * box-…:EXPIRE_FILES now+TTL <absolute path>}) and sweeps them.
	 */
	@Test
	void shouldSweepAFileWhoseExpiryTheOriginalBoxRecorded() throws IOException {
		Path stored = base.resolve(this.publisherId).resolve("tmp/hls/output/s/old.ts");
		Files.createDirectories(stored.getParent());
		Files.write(stored, randomBytes(100));
		double inHalfASecond = System.currentTimeMillis() / 1000.0 + 0.5;
		TestRedis.commands().zadd(TestRedis.keys(this.boxId.value()).expireFiles(), inHalfASecond, stored.toString());
		awaitGone(stored, Duration.ofSeconds(3));
	}

	@Test
	void shouldDeleteFileWithinOneSecondOfExpiry() throws IOException {
		byte[] content = randomBytes(1024 * 1024);
		Conversation conversation = this.client.exchange(2, this.client.publish(this.publisherId),
				PublisherTestClient.frame("{\"FILE_PATH\": \"/tmp/deep/er/test.txt\", \"TTL\": \"1\"}", content));
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
		Path stored = base.resolve(this.publisherId).resolve("tmp/deep/er/test.txt");
		Double score = TestRedis.commands().zscore(TestRedis.keys(this.boxId.value()).expireFiles(), stored.toString());
		assertThat(score).isNotNull();
		long expiryMillis = (long) (score * 1000);
		assertThat(expiryMillis - System.currentTimeMillis()).isBetween(0L, 1000L);
		awaitGone(stored, Duration.ofSeconds(3));
		assertThat(System.currentTimeMillis()).isLessThanOrEqualTo(expiryMillis + 1000);
		// Empty directories are pruned just after the file goes
		awaitGone(base.resolve(this.publisherId).resolve("tmp"), Duration.ofSeconds(1));
		assertThat(base.resolve(this.publisherId)).isDirectory();
		assertThat(TestRedis.commands().zscore(TestRedis.keys(this.boxId.value()).expireFiles(), stored.toString()))
			.isNull();
	}

	@Test
	void shouldKeepFileRewrittenWithTtlZero() throws IOException {
		byte[] first = randomBytes(1000);
		byte[] second = randomBytes(2000);
		this.client.exchange(3, this.client.publish(this.publisherId), PublisherTestClient.frame("/kept.ts", 1, first),
				PublisherTestClient.frame("/kept.ts", 0, second));
		Path stored = base.resolve(this.publisherId).resolve("kept.ts");
		assertThat(TestRedis.commands().zscore(TestRedis.keys(this.boxId.value()).expireFiles(), stored.toString()))
			.isNull();
		assertThat(Files.readAllBytes(stored)).isEqualTo(second);
	}

	@Test
	void shouldRefuseFrameBeforePublishAndClose() {
		Conversation conversation = this.client
			.exchangeUntilClosed(PublisherTestClient.frame("/early.txt", 0, new byte[10]));
		assertThat(conversation.replies()).hasSize(1);
		assertThat(conversation.reply(0)).containsEntry("COMMAND", "STORED")
			.containsEntry("ERROR_CODE", "PROTOCOL_VIOLATION");
		assertThat(conversation.closeStatus().getCode()).isEqualTo(CloseCodes.PROTOCOL_VIOLATION);
	}

	@Test
	void shouldRefuseEscapingPathsAndWriteNothingOutsideTheStore() throws IOException {
		List<String> headers = List.of("{\"FILE_PATH\": \"../escape.txt\"}", "{\"FILE_PATH\": \"/../../escape.txt\"}",
				"{\"FILE_PATH\": \"a/../../../escape.txt\"}", "{\"FILE_PATH\": \"%2e%2e/%2e%2e/escape.txt\"}",
				"{\"FILE_PATH\": \"..\\\\..\\\\escape.txt\"}", "{\"FILE_PATH\": \"a\\u0000b.txt\"}",
				"{\"FILE_PATH\": \"/.dandelion-tmp-x\"}",
				"{\"FILE_PATH\": \"/" + temp.resolve("escape.txt") + "/..\"}");
		Object[] messages = Stream
			.concat(Stream.of(this.client.publish(this.publisherId)),
					headers.stream().map((header) -> PublisherTestClient.frame(header, "evil".getBytes())))
			.toArray();
		Conversation conversation = this.client.exchange(1 + headers.size(), messages);
		for (int i = 1; i <= headers.size(); i++) {
			assertThat(conversation.reply(i)).as(headers.get(i - 1)).containsEntry("ERROR_CODE", "PATH_REFUSED");
		}
		try (Stream<Path> files = Files.walk(temp)) {
			assertThat(files.filter(Files::isRegularFile).map((file) -> temp.relativize(file).toString()))
				.allMatch((file) -> file.equals("store/box-id.txt") || file.startsWith("store/.dandelion/")
						|| file.startsWith("store/run/") || file.startsWith("store/publisher-"))
				.noneMatch((file) -> file.contains("escape") || file.contains("evil"));
		}
		assertThat(Files.list(base.resolve(this.publisherId))).isEmpty();
	}

	@Test
	void shouldKeepTwoConcurrentPublishersApart() throws Exception {
		String otherId = NodeId.random(Role.PUBLISHER).value();
		PublisherTestClient other = new PublisherTestClient(this.port, this.boxId.value());
		byte[] mine = randomBytes(300_000);
		byte[] theirs = randomBytes(200_000);
		Mono<Conversation> first = Mono.fromCallable(() -> this.client.exchange(3,
				this.client.publish(this.publisherId), PublisherTestClient.frame("/live/1.ts", 0, mine),
				PublisherTestClient.frame("/live/2.ts", 0, mine)));
		Mono<Conversation> second = Mono.fromCallable(
				() -> other.exchange(3, other.publish(otherId), PublisherTestClient.frame("/live/1.ts", 0, theirs),
						PublisherTestClient.frame("/live/2.ts", 0, theirs)));
		List<Conversation> both = Mono
			.zip(first.subscribeOn(Schedulers.boundedElastic()), second.subscribeOn(Schedulers.boundedElastic()))
			.map((tuple) -> List.of(tuple.getT1(), tuple.getT2()))
			.block(Duration.ofSeconds(30));
		assertThat(both).allSatisfy((conversation) -> assertThat(conversation.replies()).hasSize(3));
		for (String name : List.of("live/1.ts", "live/2.ts")) {
			assertThat(Files.readAllBytes(base.resolve(this.publisherId).resolve(name))).isEqualTo(mine);
			assertThat(Files.readAllBytes(base.resolve(otherId).resolve(name))).isEqualTo(theirs);
		}
	}

	@Test
	void shouldStoreFiftyMebibyteFrame() throws IOException {
		byte[] content = randomBytes(50 * 1024 * 1024);
		Conversation conversation = this.client.exchange(2, this.client.publish(this.publisherId),
				PublisherTestClient.frame("/big/movie.mp4", 0, content));
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length)
			.containsEntry("SHA256", PublisherTestClient.sha256(content));
		assertThat(Files.size(base.resolve(this.publisherId).resolve("big/movie.mp4"))).isEqualTo(content.length);
		assertThat(
				PublisherTestClient.sha256(Files.readAllBytes(base.resolve(this.publisherId).resolve("big/movie.mp4"))))
			.isEqualTo(PublisherTestClient.sha256(content));
	}

	@Test
	void shouldRefuseContentWhoseSha256Differs() throws IOException {
		byte[] content = randomBytes(10_000);
		String wrong = PublisherTestClient.sha256("something else".getBytes());
		Conversation conversation = this.client.exchange(2, this.client.publish(this.publisherId),
				PublisherTestClient.frame("{\"FILE_PATH\": \"/a/sha.ts\", \"SHA256\": \"" + wrong + "\"}", content));
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "SHA256_MISMATCH")
			.containsEntry("FILE_PATH", "/a/sha.ts");
		assertThat(base.resolve(this.publisherId).resolve("a/sha.ts")).doesNotExist();
		assertNoTemporaryFiles();
	}

	@Test
	void shouldRefuseTruncatedFrameCheckedBySha256() throws IOException {
		byte[] content = randomBytes(100_000);
		byte[] truncated = Arrays.copyOf(content, 60_000);
		Conversation conversation = this.client.exchange(2, this.client.publish(this.publisherId),
				PublisherTestClient.frame(
						"{\"FILE_PATH\": \"/cut.ts\", \"SHA256\": \"" + PublisherTestClient.sha256(content) + "\"}",
						truncated));
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "SHA256_MISMATCH");
		assertThat(base.resolve(this.publisherId).resolve("cut.ts")).doesNotExist();
		assertNoTemporaryFiles();
	}

	@Test
	void shouldRefuseMalformedFramesAndKeepTheSession() {
		Conversation conversation = this.client.exchange(4, this.client.publish(this.publisherId),
				"no tags at all".getBytes(),
				PublisherTestClient.frame("{\"FILE_PATH\": \"/x\", \"TTL\": -1}", new byte[1]),
				PublisherTestClient.frame("/ok.txt", 0, new byte[1]));
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "MISSING_OPEN_TAG");
		assertThat(conversation.reply(2)).containsEntry("ERROR_CODE", "BAD_TTL").doesNotContainKey("FILE_PATH");
		assertThat(conversation.reply(3)).containsEntry("SIZE", 1);
	}

	@Test
	void shouldLeaveNothingWhenClientClosesMidFrame() throws IOException {
		this.client.exchange(1, this.client.publish(this.publisherId));
		byte[] start = PublisherTestClient.frame("/half.ts", 0, randomBytes(100_000));
		// A first fragment without FIN, then the connection goes away
		HttpClient.create()
			.websocket()
			.uri("ws://127.0.0.1:" + this.port + WebSocketPaths.boxWebSocket(this.boxId.value()))
			.handle((inbound, outbound) -> outbound.sendString(Mono.just(this.client.publish(this.publisherId)))
				.then()
				.then(outbound.sendObject(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(start))).then()))
			.then()
			.block(Duration.ofSeconds(10));
		// The box learns of the end and removes what it had begun on its own time
		await().atMost(Duration.ofSeconds(10)).untilAsserted(PublishWebSocketHandlerTests::assertNoTemporaryFiles);
		assertThat(base.resolve(this.publisherId).resolve("half.ts")).doesNotExist();
		// The box is still fine
		Conversation after = this.client.exchange(2, this.client.publish(this.publisherId),
				PublisherTestClient.frame("/after.ts", 0, new byte[3]));
		assertThat(after.reply(1)).containsEntry("SIZE", 3);
	}

	@Test
	void shouldStoreALargeFrameSentInFragmentsHoldingOnlyAFewOfThem() throws Exception {
		Fragments frame = Fragments.of("/large/movie.mp4", 0, null, 48L * 1024 * 1024, 256 * 1024);
		String sha256 = frame.sha256();
		long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
		AtomicLong most = new AtomicLong();
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		Conversation conversation;
		try {
			// How much of Netty's memory the box holds while the frame streams through:
			// an aggregated frame would hold all of it
			sampler.scheduleWithFixedDelay(
					() -> most.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max),
					0, 5, TimeUnit.MILLISECONDS);
			conversation = this.client.exchange(2, this.client.publish(this.publisherId), frame);
		}
		finally {
			sampler.shutdownNow();
		}
		assertThat(conversation.reply(1)).containsEntry("COMMAND", "STORED")
			.containsEntry("SIZE", 48 * 1024 * 1024)
			.containsEntry("SHA256", sha256);
		Path stored = base.resolve(this.publisherId).resolve("large/movie.mp4");
		assertThat(stored).hasSize(48L * 1024 * 1024);
		assertThat(most.get() - before).as("direct memory held while receiving").isLessThan(16L * 1024 * 1024);
		Files.delete(stored);
	}

	@Test
	void shouldLeaveNothingForAFragmentedFrameWhoseSha256Differs() throws IOException {
		Fragments frame = Fragments.of("/bad/sha.ts", 60, "0".repeat(64), 4L * 1024 * 1024, 256 * 1024);
		Conversation conversation = this.client.exchange(2, this.client.publish(this.publisherId), frame);
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "SHA256_MISMATCH")
			.containsEntry("FILE_PATH", "/bad/sha.ts");
		assertThat(base.resolve(this.publisherId).resolve("bad/sha.ts")).doesNotExist();
		assertNoTemporaryFiles();
	}

	@Test
	void shouldLeaveNothingForAFragmentedFrameWithATraversalPath() throws IOException {
		Fragments frame = Fragments.of("/../../escape.ts", 60, null, 2L * 1024 * 1024, 256 * 1024);
		Conversation conversation = this.client.exchange(3, this.client.publish(this.publisherId), frame,
				PublisherTestClient.frame("/after.ts", 60, new byte[10]));
		assertThat(conversation.reply(1)).containsEntry("ERROR_CODE", "PATH_REFUSED");
		// The refused frame's remaining fragments were read and dropped: the next
		// one is stored
		assertThat(conversation.reply(2)).containsEntry("SIZE", 10);
		assertThat(base.resolve("escape.ts")).doesNotExist();
		assertThat(temp.resolve("escape.ts")).doesNotExist();
		assertNoTemporaryFiles();
	}

	@Test
	void shouldRecordTheExpiryOfEveryFileStoredWhenThePublisherClosesRightAfterItsFrame() {
		Map<Path, byte[]> sent = publishAndCloseRepeatedly("/closed/", 60, 100);
		String expireFiles = TestRedis.keys(this.boxId.value()).expireFiles();
		// Once the box is done with the frames it took (not always all: one may still
		// have been unread when the connection closed), every file it made visible is
		// whole and has its expiry
		await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertNoTemporaryFiles();
			List<Path> stored = storedFiles(base.resolve(this.publisherId));
			assertThat(stored).as("files stored").isNotEmpty().isSubsetOf(sent.keySet());
			for (Path file : stored) {
				assertThat(TestRedis.commands().zscore(expireFiles, file.toString())).as("expiry of %s", file)
					.isNotNull();
				assertThat(Files.readAllBytes(file)).as("content of %s", file).isEqualTo(sent.get(file));
			}
		});
	}

	@Test
	void shouldSweepEveryFileStoredWhenThePublisherClosesRightAfterItsFrame() {
		publishAndCloseRepeatedly("/swept/", 1, 50);
		// TTL 1 s, swept every 200 ms: nothing may stay (a file swept while the look
		// walks the directory fails that look, not the test)
		await().pollDelay(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.ignoreExceptionsInstanceOf(UncheckedIOException.class)
			.untilAsserted(() -> assertThat(storedFiles(base.resolve(this.publisherId))).isEmpty());
	}

	/**
	 * PUBLISH, its reply, one frame and at once a close, on a new connection each time,
	 * for at most the given count and at most 60 s; the frames' sizes vary so that the
	 * close lands at different points of the box's work.
	 * @return the content sent for each file, by the path it would be stored at
	 */
	private Map<Path, byte[]> publishAndCloseRepeatedly(String directory, int ttl, int count) {
		Map<Path, byte[]> sent = new HashMap<>();
		Random sizes = new Random(count);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
			byte[] content = randomBytes(1 + sizes.nextInt(256 * 1024));
			String filePath = directory + i + ".ts";
			sent.put(base.resolve(this.publisherId).resolve(filePath.substring(1)), content);
			this.client.publishFrameAndClose(this.client.publish(this.publisherId),
					PublisherTestClient.frame(filePath, ttl, content));
		}
		return sent;
	}

	private static List<Path> storedFiles(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			// The box's expiry sidecars beside them aside
			return files.filter(Files::isRegularFile).filter((file) -> !ExpirySidecar.isSidecar(file)).toList();
		}
	}

	static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	static void awaitGone(Path file, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (Files.exists(file)) {
			assertThat(System.nanoTime()).as("%s deleted within %s", file, timeout).isLessThan(deadline);
			Mono.delay(Duration.ofMillis(20)).block();
		}
	}

	private static void assertNoTemporaryFiles() throws IOException {
		try (Stream<Path> files = Files.walk(base)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.startsWith(".dandelion-tmp"));
		}
	}

	private static String boxIdOnDisk() throws IOException {
		return Files.readString(base.resolve("box-id.txt")).strip();
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("box-publish");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
