package io.dandelion.agent.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.agent.publish.PublisherTestClient;
import io.dandelion.agent.store.FileStore;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.store.StoragePaths;
import io.dandelion.protocol.testing.SeededCases.Gen;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.provider.Arguments;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.connection.DataType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 10's hostile-input suite against a real box in strict mode: thousands of
 * generated, seeded text messages, PUBLISH tickets, file frames and HTTP requests, each
 * answered with the error its generator predicts, and none writing outside a publisher's
 * directory, leaving a temporary file, changing the box's Redis keys or serving a byte of
 * a file outside the publisher directories. A failing case names its seed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "box.store.max-frame-size=2MB", "box.store.max-storage=1MB",
				"box.store.max-storage-per-publisher=768KB" })
@WithTestRedis
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoxHostileInputTests {

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final String HEX = "0123456789abcdef";

	/** The box under test, the same in every run. */
	private static final NodeCredential box = new NodeCredential(
			new NodeId(Role.BOX, "box-" + "40511e".repeat(5) + "40"), filled(NodeCredential.SECRET_BYTES, (byte) 0x17));

	private static final String publisherId = "publisher-" + "ba5e".repeat(8);

	/** Another publisher, whose file leaves the box less room than the first's quota. */
	private static final String otherPublisherId = "publisher-" + "07e4".repeat(8);

	/**
	 * The other publisher's file: with it the box's quota is reached before the first's.
	 */
	private static final int OTHER_PUBLISHER_BYTES = 700 * 1024;

	private static final Path temp = createTempDirectory();

	private static final Path base = temp.resolve("store");

	/** Beside the base directory: nothing may ever land or be read here. */
	private static final Path sentinelDirectory = temp.resolve("sentinel");

	private static final String SECRET = "hostile-suite-secret-" + "5ec7e7".repeat(6);

	private static final int dataPort = freePort();

	private static final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		registry.add("box.serving.data-port", () -> dataPort);
		TestTrust.strictBox(registry, box);
		registry.add("dandelion.security.signed-viewer-urls", () -> "true");
	}

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private FileStore store;

	@BeforeAll
	static void plantSentinels() throws IOException {
		Files.createDirectories(sentinelDirectory);
		Files.writeString(sentinelDirectory.resolve("secret.txt"), SECRET);
		Files.createDirectories(base);
		Files.writeString(base.resolve("secret.txt"), SECRET);
	}

	@AfterAll
	static void deleteKeysAndReport() {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(box.id().value()).prefix());
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(publisherId).prefix());
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(otherPublisherId).prefix());
		int total = counts.values().stream().mapToInt(AtomicInteger::get).sum();
		System.out.println("Hostile cases sent to the box: " + new TreeMap<>(counts) + ", total " + total);
	}

	// Text messages

	@Test
	@Order(1)
	void shouldAnswerEveryMalformedTextMessageWithItsErrorBeforeAndAfterPublish() {
		for (boolean published : List.of(false, true)) {
			List<Case> cases = cases(published ? 0x7e87a1L : 0x7e87b0L, 1_500, BoxHostileInputTests::textCase);
			List<Object> messages = new ArrayList<>();
			if (published) {
				messages.add(publish(publisherId));
			}
			cases.forEach((item) -> messages.add(item.message()));
			Conversation conversation = client().exchange(messages.size(), messages.toArray());
			int offset = published ? 1 : 0;
			if (published) {
				assertThat(conversation.reply(0)).containsEntry("MESSAGE", "ACCEPTED");
			}
			for (int i = 0; i < cases.size(); i++) {
				Case item = cases.get(i);
				assertThat(conversation.reply(i + offset)).as(item.describe())
					.containsEntry("ERROR_CODE", item.expected());
			}
			count(published ? "text messages after PUBLISH" : "text messages before PUBLISH", cases.size());
		}
	}

	@Test
	@Order(2)
	void shouldCloseOnTextMessagesOverTheFrameLimit() {
		// Over the codec's 1 M chars but within the frame limit: refused, connection open
		String tooLong = "{\"COMMAND\":\"" + "A".repeat(1_100_000) + "\"}";
		Conversation refused = client().exchange(2, tooLong, "[]");
		assertThat(refused.reply(0)).containsEntry("ERROR_CODE", "TOO_LARGE");
		assertThat(refused.reply(1)).containsEntry("ERROR_CODE", "NOT_AN_OBJECT");
		// Over the WebSocket limit: the connection closes with 1009
		Conversation closed = client().exchangeUntilClosed("x".repeat(2 * 1024 * 1024 + 1));
		assertThat(closed.replies()).isEmpty();
		if (closed.closeStatus() != null) {
			assertThat(closed.closeStatus().getCode()).isEqualTo(1009);
		}
		count("over-size text messages", 3);
	}

	@Test
	@Order(3)
	void shouldRefuseEveryBadTicketCloseAndRecordNothing() {
		List<Case> cases = cases(0x71c4e7L, 300, BoxHostileInputTests::ticketCase);
		for (Case item : cases) {
			String publisher = item.publisherId();
			Conversation conversation = client().exchangeUntilClosed(item.message(),
					PublisherTestClient.frame("/after-refusal.ts", 0, new byte[8]));
			assertThat(conversation.replies()).as(item.describe()).hasSize(1);
			assertThat(conversation.reply(0)).as(item.describe()).containsEntry("ERROR_CODE", item.expected());
			assertThat(conversation.closeStatus()).as(item.describe()).isNotNull();
			assertThat(conversation.closeStatus().getCode()).as(item.describe()).isEqualTo(CloseCodes.NOT_ACCEPTED);
			assertThat(this.redis.hasKey(TestRedis.keys(box.id().value()).exchange(publisher))).as(item.describe())
				.isFalse();
			assertThat(base.resolve(publisher)).as(item.describe()).doesNotExist();
		}
		count("PUBLISH with bad tickets", cases.size());
	}

	// File frames

	@Test
	@Order(4)
	void shouldRefuseEveryHostileFrameAndKeepStoreAndRedisUnchanged() throws IOException {
		// The publisher is known and has a file, so its keys exist before the batches
		Conversation setUp = client().exchange(2, publish(publisherId),
				PublisherTestClient.frame("/first.ts", 600, "first".getBytes(StandardCharsets.UTF_8)));
		assertThat(setUp.reply(1)).containsEntry("SIZE", 5);
		Conversation otherSetUp = client().exchange(2, publish(otherPublisherId),
				PublisherTestClient.frame("/filler.bin", 0, new byte[OTHER_PUBLISHER_BYTES]));
		assertThat(otherSetUp.reply(1)).containsEntry("SIZE", OTHER_PUBLISHER_BYTES);
		Path publisherDirectory = base.resolve(publisherId);
		Files.createDirectories(publisherDirectory.resolve("media"));
		Files.createSymbolicLink(publisherDirectory.resolve("escape"), sentinelDirectory);
		for (int batch = 0; batch < 5; batch++) {
			Set<String> filesBefore = files();
			Map<String, String> keysBefore = redisSnapshot();
			long[] usedBefore = { this.store.usedBytes(), this.store.usedBytes(publisherId) };
			List<Case> cases = cases(0xf7a3e0L + batch, 1_000, BoxHostileInputTests::frameCase);
			List<Object> messages = new ArrayList<>();
			messages.add(publish(publisherId));
			cases.forEach((item) -> messages.add(item.frame()));
			Conversation conversation = client().exchange(messages.size(), messages.toArray());
			assertThat(conversation.reply(0)).containsEntry("MESSAGE", "ACCEPTED");
			for (int i = 0; i < cases.size(); i++) {
				Case item = cases.get(i);
				assertThat(conversation.reply(i + 1)).as(item.describe())
					.containsEntry("COMMAND", "STORED")
					.containsEntry("ERROR_CODE", item.expected())
					.doesNotContainKey("SIZE");
			}
			assertThat(files()).as("files after batch %d", batch).isEqualTo(filesBefore);
			assertThat(redisSnapshot()).as("Redis keys after batch %d", batch).isEqualTo(keysBefore);
			assertThat(new long[] { this.store.usedBytes(), this.store.usedBytes(publisherId) })
				.as("bytes counted for the box and the publisher after batch %d", batch)
				.isEqualTo(usedBefore);
			assertThat(Files.readString(sentinelDirectory.resolve("secret.txt"))).isEqualTo(SECRET);
			assertThat(Files.list(sentinelDirectory).toList()).hasSize(1);
			// The box keeps working
			byte[] content = ("valid after batch " + batch).getBytes(StandardCharsets.UTF_8);
			Conversation valid = client().exchange(2, publish(publisherId),
					PublisherTestClient.frame("/media/valid-" + batch + ".ts", 600, content));
			assertThat(valid.reply(1)).containsEntry("SIZE", content.length);
			assertThat(publisherDirectory.resolve("media/valid-" + batch + ".ts")).hasBinaryContent(content);
			count("file frames", cases.size());
		}
	}

	@Test
	@Order(5)
	void shouldCloseOnAFrameOverTheLimitAndWriteNothing() throws IOException {
		Set<String> filesBefore = files();
		Conversation conversation = client().exchangeUntilClosed(publish(publisherId),
				PublisherTestClient.frame("/huge.ts", 60, new byte[2 * 1024 * 1024 + 1]));
		assertThat(conversation.replies()).allSatisfy((reply) -> assertThat(reply).doesNotContainKey("SIZE"));
		if (conversation.closeStatus() != null) {
			assertThat(conversation.closeStatus().getCode()).isIn(1009, CloseCodes.TOO_LARGE);
		}
		assertThat(files()).isEqualTo(filesBefore);
		count("file frames over the frame limit", 1);
	}

	// HTTP requests at the data port

	@Test
	@Order(6)
	void shouldNeverServeWhatIsNotASignedPublisherFile() throws IOException {
		byte[] content = "served content".getBytes(StandardCharsets.UTF_8);
		Conversation stored = client().exchange(2, publish(publisherId),
				PublisherTestClient.frame("/media/served.ts", 600, content));
		assertThat(stored.reply(1)).containsEntry("SIZE", content.length);
		String file = "/" + publisherId + "/media/served.ts";
		HttpReply control = http("GET " + TestTrust.signed(file, box) + " HTTP/1.1");
		assertThat(control.status()).isEqualTo(200);
		assertThat(control.body()).endsWith(new String(content, StandardCharsets.UTF_8));
		List<Case> cases = cases(0x477be5L, 2_500, BoxHostileInputTests::httpCase);
		for (Case item : cases) {
			HttpReply reply = http(item.message());
			assertThat(reply.status()).as(item.describe()).isBetween(200, 499);
			assertThat(reply.body()).as(item.describe()).doesNotContain(SECRET);
			assertThat(Integer.toString(reply.status())).as(item.describe())
				.isIn((Object[]) item.expected().split(","));
		}
		count("HTTP requests", cases.size());
	}

	// Text message generators

	private static Case textCase(Gen gen) {
		Map<String, Object> publish = publishFields(publisherId, null);
		publish.put("PORT", "8000");
		int kind = gen.intBetween(0, 11);
		return switch (kind) {
			case 0 -> new Case("not JSON", "<" + gen.anyString(200), "INVALID_JSON");
			case 1 -> {
				String json = json(publish);
				yield new Case("truncated", json.substring(0, gen.intBetween(1, json.length() - 1)), "INVALID_JSON");
			}
			case 2 -> new Case("duplicate key", "{\"ID\":\"" + publisherId + "\",\"ID\":\"" + publisherId + "\"}",
					"INVALID_JSON");
			case 3 -> new Case("not an object", gen.oneOf("[]", "[1,2]", "\"PUBLISH\"", "42", "true", "null", "-0.5",
					"[{\"COMMAND\":\"PUBLISH\"}]"), "NOT_AN_OBJECT");
			case 4 -> {
				publish.remove(gen.oneOf("ID", "IP", "TYPE", "COMMAND"));
				publish.remove("PORT");
				yield new Case("missing field", json(publish), "MISSING_FIELD");
			}
			case 5 -> {
				publish.put(gen.oneOf("ID", "IP", "TYPE"), gen.oneOf("", null, 0, false, List.of(), Map.of()));
				yield new Case("empty field", json(publish), "EMPTY_FIELD");
			}
			case 6 -> {
				publish.put(gen.oneOf("ID", "IP", "TYPE", "COMMAND"),
						gen.bool() ? List.of(gen.string(HEX, 1, 8)) : Map.of("A", gen.anyInt()));
				yield new Case("wrong type", json(publish), "BAD_VALUE");
			}
			case 7 -> {
				publish.put("TYPE", gen.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 12) + "X");
				yield new Case("unknown TYPE", json(publish), "BAD_VALUE");
			}
			case 8 -> {
				publish.put("ID",
						gen.oneOf("publisher-" + gen.string(HEX, 0, 31),
								"publisher-" + gen.string("0123456789ABCDEF", 32, 32).replace('0', 'A'),
								"box-" + gen.string(HEX, 32, 32), gen.anyString(40) + "x",
								"publisher-" + gen.string(HEX, 33, 40)));
				yield new Case("bad ID", json(publish), "BAD_ID");
			}
			case 9 -> {
				publish.put("COMMAND", gen.oneOf("STORED", "publish", "Publish", "PUBLISH ", "EXCHANGE2",
						gen.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1, 12) + "Q"));
				yield new Case("unknown command", json(publish), "UNKNOWN_COMMAND");
			}
			case 10 -> {
				publish.put("TYPE", "ENTRANCE");
				publish.put("ID", "entrance-" + gen.string(HEX, 32, 32));
				yield new Case("command of another role", json(publish), "COMMAND_TYPE_MISMATCH");
			}
			default -> {
				publish.put("TYPE", "BOX");
				publish.put("ID", "box-" + gen.string(HEX, 32, 32));
				yield new Case("a box's PUBLISH reply", json(publish), "UNKNOWN_COMMAND");
			}
		};
	}

	private static Case ticketCase(Gen gen) {
		String publisher = "publisher-" + gen.string(HEX, 32, 32);
		String boxId = box.id().value();
		Instant valid = Instant.now().plus(Duration.ofMinutes(5));
		PrivateKey trusted = TestTrust.entrancePrivateKey();
		int kind = gen.intBetween(0, 6);
		String ticket = switch (kind) {
			case 0 -> null;
			case 1 -> new PublishTicket(TestTrust.ENTRANCE_ID, publisher, boxId,
					Instant.now().minusSeconds(gen.intBetween(1, 100_000)))
				.sign(trusted);
			case 2 -> new PublishTicket(TestTrust.ENTRANCE_ID, publisher, boxId, valid)
				.sign(TestTrust.keyPair(gen.longBetween(1, 1000)).getPrivate());
			case 3 -> new PublishTicket(TestTrust.ENTRANCE_ID, publisher, "box-" + gen.string(HEX, 32, 32), valid)
				.sign(trusted);
			case 4 -> new PublishTicket(TestTrust.ENTRANCE_ID, "publisher-" + gen.string(HEX, 32, 32), boxId, valid)
				.sign(trusted);
			case 5 -> gen.oneOf("", "dt1.", "dt1..", "dt2." + gen.string(HEX, 10, 80)) + gen.string(HEX, 0, 20);
			default -> gen.anyString(300);
		};
		String[] names = { "no ticket", "expired", "foreign key", "another box", "another publisher", "garbage",
				"random text" };
		return new Case(names[kind], json(publishFields(publisher, ticket)), "BAD_TICKET", publisher, null);
	}

	// Frame generators

	private static Case frameCase(Gen gen) {
		byte[] content = gen.bytes(64);
		int kind = gen.intBetween(0, 12);
		return switch (kind) {
			case 0 -> {
				byte[] bytes = gen.bytes(200);
				if (bytes.length > 0 && bytes[0] == '<') {
					bytes[0] = 'x';
				}
				yield frameCase("no open tag", bytes, "MISSING_OPEN_TAG");
			}
			case 1 -> frameCase("no close tag",
					concat(ascii("<Dandelion>" + header(safePath(gen), 60, null)), noAngle(gen.bytes(300))),
					"MISSING_CLOSE_TAG");
			case 2 -> frameCase("garbled tag",
					concat(ascii(gen.oneOf("<dandelion>", "<Dandelion", "Dandelion>", " <Dandelion>", "<Dandelion >")
							+ header(safePath(gen), 60, null) + "</Dandelion>"), content),
					"MISSING_OPEN_TAG");
			case 3 -> frameCase("header too large",
					concat(ascii(
							"<Dandelion>{\"FILE_PATH\":\"/a.ts\",\"X\":\"" + "a".repeat(16 * 1024) + "\"}</Dandelion>"),
							content),
					"HEADER_TOO_LARGE");
			case 4 -> frameCase("bad JSON", PublisherTestClient.frame(gen.bool() ? gen.oneOf("", " ", "\n")
					: gen.oneOf("{", "{\"FILE_PATH\":", "{\"FILE_PATH\":\"/a.ts\"",
							"{\"FILE_PATH\":\"/a.ts\",\"FILE_PATH\":\"/b.ts\"}", "{\"FILE_PATH\":\"/a.ts\"} x",
							"{'FILE_PATH':'/a.ts'}", "{\"FILE_PATH\":/a.ts}") + noBrace(gen.string("abc\" :,[]", 0, 5)),
					content), "BAD_JSON");
			case 5 -> frameCase(
					"header not an object", PublisherTestClient
						.frame(gen.oneOf("[]", "[\"/a.ts\"]", "\"/a.ts\"", "42", "null", "true"), content),
					"HEADER_NOT_OBJECT");
			case 6 -> frameCase("no FILE_PATH", PublisherTestClient.frame("{\"TTL\":60,\"PATH\":\"/a.ts\"}", content),
					"MISSING_FILE_PATH");
			case 7 -> frameCase(
					"FILE_PATH not a path", PublisherTestClient.frame("{\"FILE_PATH\":" + gen.oneOf("\"\"", "1", "null",
							"true", "[\"/a.ts\"]", "{\"P\":\"/a.ts\"}", "\"/a\\ud800.ts\"") + "}", content),
					"BAD_FILE_PATH");
			case 8 -> frameCase("bad TTL",
					PublisherTestClient.frame("{\"FILE_PATH\":\"" + safePath(gen) + "\",\"TTL\":" + gen.oneOf("-1",
							"1.5", "\"abc\"", "2147483648", "true", "[]", "{}", "\"-5\"", "1e3", "null") + "}",
							content),
					"BAD_TTL");
			case 9 -> frameCase("bad SHA256",
					PublisherTestClient.frame("{\"FILE_PATH\":\"" + safePath(gen) + "\",\"TTL\":60,\"SHA256\":"
							+ gen.oneOf("\"" + PublisherTestClient.sha256(content).toUpperCase() + "\"",
									"\"" + PublisherTestClient.sha256(content).substring(1) + "\"",
									"\"" + gen.string("ghijklmnopqrstuvwxyz", 64, 64) + "\"", "1", "null", "\"\"")
							+ "}", content),
					"BAD_SHA256");
			case 10 -> {
				String sha256 = PublisherTestClient.sha256(concat(content, new byte[] { 1 }));
				yield frameCase("mismatching SHA256",
						PublisherTestClient.frame(header(safePath(gen), 60, sha256), content), "SHA256_MISMATCH");
			}
			// The publisher holds a few bytes of its 768 KiB,
			// the other one 700 KiB of the box's 1 MiB
			case 11 -> gen.bool()
					? frameCase("over the publisher's quota",
							PublisherTestClient.frame(header(safePath(gen), 60, null), new byte[800 * 1024]),
							"PUBLISHER_QUOTA_EXCEEDED")
					: frameCase("over the box's quota",
							PublisherTestClient.frame(header(safePath(gen), 60, null), new byte[400 * 1024]),
							"QUOTA_EXCEEDED");
			default -> {
				String path = hostilePath(gen);
				yield frameCase("hostile FILE_PATH " + quote(path),
						PublisherTestClient.frame(header(path, 60, null), content), "PATH_REFUSED");
			}
		};
	}

	/** A path the box would store, which the frame's other fault must stop. */
	private static String safePath(Gen gen) {
		return "/media/" + gen.string("abcdefghijklmnopqrstuvwxyz0123456789-_", 1, 20) + ".ts";
	}

	private static String hostilePath(Gen gen) {
		String name = gen.string("abcdefghijklmnopqrstuvwxyz", 1, 10);
		return switch (gen.intBetween(0, 14)) {
			case 0 -> "/" + "../".repeat(gen.intBetween(1, 6)) + gen.oneOf("secret.txt", "sentinel/secret.txt", name);
			case 1 -> "/media/" + gen.oneOf("..", ".") + "/" + name;
			case 2 -> "/" + gen.oneOf("%2e%2e", "%2E%2E", ".%2e", "%2e.", "%2e") + "/" + name;
			case 3 -> gen.oneOf("/tmp/../../", base.toString() + "/../", "//..//") + name;
			case 4 -> "/media\\" + gen.oneOf("..\\..\\", "", "..\\") + name;
			case 5 -> "/media/" + name + (char) gen.intBetween(0, 31) + ".ts";
			case 6 -> "/media/" + name + gen.oneOf("\u007f", "\u0085", "\u009f", "\u0000") + ".ts";
			case 7 -> gen.oneOf("C:", "c:", "Z:", "C:\\Windows") + "/" + name;
			case 8 -> "/" + "a".repeat(gen.intBetween(256, 400));
			case 9 -> "/" + "é".repeat(gen.intBetween(128, 200));
			case 10 -> "/" + (name + "/").repeat(4097 / (name.length() + 1) + 1) + "x";
			case 11 -> "/" + "d/".repeat(gen.intBetween(64, 80)) + "x";
			case 12 -> "/media/" + StoragePaths.TEMP_FILE_PREFIX + gen.oneOf("", "-", "-" + name);
			case 13 -> gen.oneOf("/", "///", "/media/", "/media//");
			default -> "/escape/" + gen.oneOf("", "x/") + name;
		};
	}

	// HTTP generators

	private static Case httpCase(Gen gen) {
		String file = "/" + publisherId + "/media/served.ts";
		int kind = gen.intBetween(0, 9);
		return switch (kind) {
			case 0 -> {
				String path = file + gen.oneOf("", "?", "?md5=", "?expires=9999999999", "?md5=x&expires=1");
				yield httpCase("unsigned publisher file", "GET " + path + " HTTP/1.1", "403");
			}
			case 1 -> {
				String signed = TestTrust.signed(file, box);
				int at = signed.indexOf("md5=") + 4 + gen.intBetween(0, 21);
				char replaced = (char) (signed.charAt(at) == 'A' ? 'B' : 'A');
				yield httpCase("forged md5",
						"GET " + signed.substring(0, at) + replaced + signed.substring(at + 1) + " HTTP/1.1", "403");
			}
			case 2 -> {
				String signed = TestTrust.signed(file, box);
				String forged = signed.replaceFirst("expires=(\\d+)",
						"expires=" + gen.oneOf("1", "0", "-1", "99999999999", "abc", "", "4102444800"));
				yield httpCase("forged expires", "GET " + forged + " HTTP/1.1", "403");
			}
			case 3 -> {
				String query = ViewerUrlSignature.query(file, Instant.now().minusSeconds(gen.intBetween(1, 100_000)),
						box.urlSecret());
				yield httpCase("expired signature", "GET " + file + "?" + query + " HTTP/1.1", "403");
			}
			case 4 -> {
				String other = "/" + publisherId + "/media/other.ts";
				String query = TestTrust.signed(other, box).substring(other.length());
				yield httpCase("signature of another file", "GET " + file + query + " HTTP/1.1", "403");
			}
			case 5 -> {
				NodeCredential stranger = new NodeCredential(box.id(),
						filled(NodeCredential.SECRET_BYTES, (byte) gen.intBetween(0x18, 0xff)));
				yield httpCase("signed with another secret", "GET " + TestTrust.signed(file, stranger) + " HTTP/1.1",
						"403");
			}
			case 6 -> {
				// Signed, so only the path can refuse it
				String decoded = "/" + publisherId + traversal(gen);
				String raw = UriUtils.encodePath(decoded, StandardCharsets.UTF_8);
				yield httpCase("signed traversal " + quote(decoded),
						"GET " + raw + TestTrust.signed(decoded, box).substring(decoded.length()) + " HTTP/1.1", "404");
			}
			case 7 -> {
				String raw = randomPath(gen);
				String decoded = decodeOrNull(raw);
				String expected = (decoded != null && decoded.matches("^/publisher-[0-9a-f]{32}/(?s).*")) ? "403"
						: "404";
				yield httpCase("random path " + quote(raw), "GET " + raw + " HTTP/1.1", expected);
			}
			case 8 -> {
				String method = gen.oneOf("POST", "PUT", "DELETE", "PATCH", "PROPFIND", "TRACE", "CONNECT", "MKCOL",
						"FOO");
				String path = gen.bool() ? TestTrust.signed(file, box) : "/../store/secret.txt";
				yield httpCase("method " + method, method + " " + path + " HTTP/1.1", "405,400");
			}
			default -> {
				String path = "/" + "a".repeat(gen.intBetween(5000, 70_000));
				yield httpCase("overlong path", "GET " + path + " HTTP/1.1", "400,404,413,414,431");
			}
		};
	}

	private static String traversal(Gen gen) {
		return gen.oneOf("/../secret.txt", "/../../sentinel/secret.txt", "/media/../../secret.txt",
				"/./media/served.ts", "/media/./served.ts", "/%2e%2e/secret.txt", "/" + StoragePaths.TEMP_FILE_PREFIX,
				"/escape/secret.txt", "/media", "/media/", "/media/served.ts/", "/nothing.ts");
	}

	private static String randomPath(Gen gen) {
		String[] pieces = { "..", ".", "%2e", "%2E%2E", "%252e%252e", "%2f", "%5c", "%00", "%ff", "%c0%ae", "%", "%zz",
				"secret.txt", "sentinel", "store", publisherId, "publisher-" + "0".repeat(32), "media", "served.ts",
				"\u00e9", "%e2%80%ae", ";", "?x=", "#", "~", "//" };
		StringBuilder path = new StringBuilder();
		for (int i = gen.intBetween(1, 8); i > 0; i--) {
			path.append('/').append(gen.oneOf(pieces));
		}
		return UriUtils.encodePath(path.toString(), StandardCharsets.UTF_8).replace("%25", "%");
	}

	// Cases and checks

	/**
	 * One generated case.
	 *
	 * @param kind what the generator made
	 * @param message the text message or HTTP request line
	 * @param expected the expected {@code ERROR_CODE} (or HTTP statuses, comma-separated)
	 * @param publisherId the publisher it names, if any
	 * @param frame the binary frame, if it is one
	 */
	record Case(String kind, String message, String expected, String publisherId, byte[] frame, String seed) {

		Case(String kind, String message, String expected) {
			this(kind, message, expected, null, null, null);
		}

		Case(String kind, String message, String expected, String publisherId, byte[] frame) {
			this(kind, message, expected, publisherId, frame, null);
		}

		Case seeded(String seed) {
			return new Case(this.kind, this.message, this.expected, this.publisherId, this.frame, seed);
		}

		String describe() {
			return this.seed + " (" + this.kind + ", re-run with -Ddandelion.test.seed="
					+ this.seed.replace("seed ", "") + ")" + ((this.message != null) ? ": " + quote(this.message) : "");
		}

	}

	private static Case frameCase(String kind, byte[] frame, String expected) {
		return new Case(kind, null, expected, null, frame);
	}

	private static Case httpCase(String kind, String requestLine, String expected) {
		return new Case(kind, requestLine, expected);
	}

	/**
	 * Cases drawn by {@link SeededCases}, each knowing its seed for the failure message.
	 */
	private static List<Case> cases(long seed, int tries, Function<Gen, Case> generator) {
		Stream<Arguments> drawn = SeededCases.of(seed, tries, (gen) -> arguments(generator.apply(gen)));
		return drawn
			.map((arguments) -> ((Case) arguments.get()[0]).seeded(((Arguments.ArgumentSet) arguments).getName()))
			.toList();
	}

	private static void count(String category, int cases) {
		counts.computeIfAbsent(category, (name) -> new AtomicInteger()).addAndGet(cases);
	}

	private PublisherTestClient client() {
		return new PublisherTestClient(this.port, box.id().value());
	}

	private static String publish(String publisher) {
		return PublisherTestClient.publish(publisher, TestTrust.ticket(publisher, box.id().value()));
	}

	private static Map<String, Object> publishFields(String publisher, String ticket) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("ID", publisher);
		fields.put("IP", "127.0.0.1");
		fields.put("TYPE", "PUBLISHER");
		fields.put("COMMAND", "PUBLISH");
		if (ticket != null) {
			fields.put("PUBLISH_TICKET", ticket);
		}
		return fields;
	}

	/**
	 * Every file and directory below the temporary directory, except the publisher's
	 * stored files, plus every temporary file anywhere: what a refused frame must not
	 * change.
	 */
	private static Set<String> files() throws IOException {
		try (Stream<Path> paths = Files.walk(temp)) {
			return paths.map((path) -> temp.relativize(path).toString())
				.filter((path) -> !path.contains("access.log"))
				.collect(TreeSet::new, Set::add, Set::addAll);
		}
	}

	/**
	 * The values of the box's keys (by its ID prefix); the heartbeat's own entry aside.
	 */
	private Map<String, String> redisSnapshot() {
		String prefix = TestRedis.keys(box.id().value()).prefix();
		String selfExchange = TestRedis.keys(box.id().value()).selfExchange();
		Map<String, String> snapshot = new TreeMap<>();
		for (String key : this.redis.keys(prefix + "*")) {
			if (key.equals(selfExchange) || key.contains("TRAFFIC")) {
				continue;
			}
			DataType type = this.redis.type(key);
			String value = switch (type) {
				case HASH -> new TreeMap<>(this.redis.opsForHash().entries(key)).toString();
				case ZSET -> String.valueOf(this.redis.opsForZSet()
					.rangeWithScores(key, 0, -1)
					.stream()
					.map((entry) -> entry.getValue() + "=" + entry.getScore())
					.toList());
				case STRING -> this.redis.opsForValue().get(key);
				case SET -> new TreeSet<>(this.redis.opsForSet().members(key)).toString();
				case LIST -> String.valueOf(this.redis.opsForList().range(key, 0, -1));
				default -> type.name();
			};
			snapshot.put(key, value);
		}
		return snapshot;
	}

	/** One request on its own connection, read to the end. */
	private static HttpReply http(String requestLine) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", dataPort), 5_000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.UTF_8));
			out.flush();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			InputStream in = socket.getInputStream();
			try {
				in.transferTo(received);
			}
			catch (IOException ex) {
				// A reset after the answer: what arrived counts
			}
			String text = received.toString(StandardCharsets.ISO_8859_1);
			int status = (text.startsWith("HTTP/1.") && text.length() >= 12) ? Integer.parseInt(text.substring(9, 12))
					: 0;
			assertThat(status).as("status of %s: %s", quote(requestLine), quote(text)).isNotZero();
			return new HttpReply(status, text);
		}
	}

	record HttpReply(int status, String body) {

	}

	private static String header(String filePath, int ttl, String sha256) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("FILE_PATH", filePath);
		header.put("TTL", ttl);
		if (sha256 != null) {
			header.put("SHA256", sha256);
		}
		return json(header);
	}

	private static String json(Object value) {
		try {
			return mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String decodeOrNull(String raw) {
		try {
			return UriUtils.decode(raw.split("\\?", 2)[0], StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static byte[] noAngle(byte[] bytes) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '<') {
				bytes[i] = '>';
			}
		}
		return bytes;
	}

	private static String noBrace(String text) {
		return text.replace("}", "");
	}

	private static String quote(String text) {
		return json(text.length() > 200 ? text.substring(0, 200) + "…" : text);
	}

	private static byte[] filled(int length, byte value) {
		byte[] bytes = new byte[length];
		Arrays.fill(bytes, value);
		return bytes;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("box-hostile").toRealPath();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
