package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import io.dandelion.agent.publish.PublisherTestClient.Conversation;
import io.dandelion.agent.publish.PublisherTestClient;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.store.DataPortProbe;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.StoragePaths;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What viewers see of a box's files, the same in every serving mode: files published over
 * the WebSocket fetched over HTTP byte for byte with signed URLs (a box in strict mode
 * with a credential), with CORS, MIME types and ranges, nothing outside the publisher
 * directories, nothing without a valid signature, and one access-log line per response.
 */
@Tag(TestRedis.TAG)
abstract class AbstractFileServingTests {

	/** The access-log line format, as the traffic tailer parses it. */
	static final Pattern LOG_LINE = Pattern.compile(
			"(?<addr>\\S+) \\[(?<time>\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\] \"(?<request>[^\"]*)\" (?<status>\\d{3}) (?<bytes>\\d+)");

	@LocalServerPort
	int appPort;

	@Autowired
	NodeId boxId;

	String publisherId;

	/** The store root of the running box. */
	abstract Path base();

	/** The data port of the running box. */
	abstract int dataPort();

	/** The credential of the running box, in strict mode with signed viewer URLs. */
	abstract NodeCredential credential();

	@BeforeEach
	void createPublisher() {
		this.publisherId = NodeId.random(Role.PUBLISHER).value();
	}

	static void deleteKeys(Path base) throws IOException {
		String id = Files.readString(base.resolve("box-id.txt")).strip();
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(id).prefix());
	}

	/**
	 * A viewer URL, signed as a publisher signs it (the signature covers the decoded
	 * path, so a request refused for its path is not refused for its signature).
	 */
	String url(String path) {
		String decoded;
		try {
			decoded = UriUtils.decode(path, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			decoded = path;
		}
		return unsignedUrl(path) + "?"
				+ ViewerUrlSignature.query(decoded, Instant.now().plusSeconds(600), credential().urlSecret());
	}

	String unsignedUrl(String path) {
		return "http://127.0.0.1:" + dataPort() + path;
	}

	byte[] publish(String filePath, byte[] content) {
		PublisherTestClient client = new PublisherTestClient(this.appPort, this.boxId.value());
		Conversation conversation = client.exchange(2, client.publish(this.publisherId),
				PublisherTestClient.frame(filePath, 0, content));
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
		return content;
	}

	@Test
	void shouldServePublishedFileByteForByte() {
		byte[] content = publish("/tmp/hls/a.ts", randomBytes(3 * 1024 * 1024 + 17));
		HttpResponse<byte[]> response = FileServingTestSupport.send("GET",
				url("/" + this.publisherId + "/tmp/hls/a.ts"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(content);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("video/mp2t");
		assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(content.length));
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Content-Range");
		assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
	}

	@Test
	void shouldServeMediaTypesForHls() {
		for (List<String> type : List.of(List.of("index.m3u8", "application/vnd.apple.mpegurl"),
				List.of("seg.ts", "video/mp2t"), List.of("seg.m4s", "video/iso.segment"),
				List.of("movie.mp4", "video/mp4"))) {
			publish("/types/" + type.get(0), "x".getBytes(StandardCharsets.US_ASCII));
			HttpResponse<byte[]> response = FileServingTestSupport.send("GET",
					url("/" + this.publisherId + "/types/" + type.get(0)));
			assertThat(response.headers().firstValue("Content-Type")).as(type.get(0))
				.hasValueSatisfying((value) -> assertThat(value).startsWith(type.get(1)));
		}
	}

	@Test
	void shouldServeByteRanges() {
		byte[] content = publish("/range.mp4", randomBytes(10_000));
		HttpResponse<byte[]> response = FileServingTestSupport.send("GET", url("/" + this.publisherId + "/range.mp4"),
				"Range", "bytes=100-199");
		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");
		assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
		HttpResponse<byte[]> suffix = FileServingTestSupport.send("GET", url("/" + this.publisherId + "/range.mp4"),
				"Range", "bytes=-10");
		assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 9990, 10000));
		HttpResponse<byte[]> beyond = FileServingTestSupport.send("GET", url("/" + this.publisherId + "/range.mp4"),
				"Range", "bytes=20000-");
		assertThat(beyond.statusCode()).isEqualTo(416);
	}

	@Test
	void shouldAnswerHeadAndPreflight() {
		publish("/head.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.US_ASCII));
		HttpResponse<byte[]> head = FileServingTestSupport.send("HEAD", url("/" + this.publisherId + "/head.m3u8"));
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Length")).hasValue("8");
		assertThat(head.body()).isEmpty();
		HttpResponse<byte[]> preflight = FileServingTestSupport.send("OPTIONS",
				url("/" + this.publisherId + "/head.m3u8"), "Origin", "http://viewer.example",
				"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range");
		assertThat(preflight.statusCode()).isEqualTo(204);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("GET")
			.contains("HEAD")
			.contains("OPTIONS");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Range");
	}

	@Test
	void shouldServeNothingOutsidePublisherDirectories() throws IOException {
		publish("/dir/file.txt", "inside".getBytes(StandardCharsets.US_ASCII));
		Path publisherDirectory = base().resolve(this.publisherId);
		Files.writeString(publisherDirectory.resolve(".dandelion-tmp-leftover"), "temp");
		for (String path : List.of("/box-id.txt", "/run/access.log", "/run/nginx.conf", "/" + this.publisherId + "/",
				"/" + this.publisherId + "/dir/", "/" + this.publisherId + "/dir",
				"/" + this.publisherId + "/.dandelion-tmp-leftover", "/" + this.publisherId + "/../box-id.txt",
				"/" + this.publisherId + "/%2e%2e/box-id.txt", "/" + this.publisherId + "/dir/..%2f..%2fbox-id.txt",
				"/" + this.publisherId + "/dir%5c..%5c..%5cbox-id.txt", "/" + this.publisherId + "/dir/file.txt%00",
				"/publisher-xyz/dir/file.txt", "/")) {
			HttpResponse<byte[]> response = FileServingTestSupport.send("GET", url(path));
			assertThat(response.statusCode()).as(path).isIn(400, 403, 404);
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(path)
				.doesNotContain(this.boxId.value())
				.doesNotContain("temp")
				.doesNotContain("inside");
		}
	}

	@Test
	void shouldNeverServeTheExpirySidecarsOrOtherReservedNames() throws IOException {
		byte[] content = publish("/sidecar/seg-1.ts", "segment".getBytes(StandardCharsets.US_ASCII));
		Path stored = base().resolve(this.publisherId).resolve("sidecar/seg-1.ts");
		Path sidecar = ExpirySidecar.of(stored);
		assertThat(sidecar).as("the stored file's expiry, kept beside it").isRegularFile();
		Files.writeString(stored.resolveSibling(StoragePaths.RESERVED_PREFIX + "other"), "reserved");
		assertThat(FileServingTestSupport.send("GET", url("/" + this.publisherId + "/sidecar/seg-1.ts")).body())
			.isEqualTo(content);
		for (String name : List.of(sidecar.getFileName().toString(), StoragePaths.RESERVED_PREFIX + "other")) {
			for (String path : List.of("/" + this.publisherId + "/sidecar/" + name,
					"/" + this.publisherId + "/sidecar/" + name.replace(".", "%2e"))) {
				HttpResponse<byte[]> response = FileServingTestSupport.send("GET", url(path));
				assertThat(response.statusCode()).as(path).isIn(400, 403, 404);
				assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(path)
					.doesNotContain("EXPIRES")
					.doesNotContain("reserved");
			}
		}
	}

	@Test
	void shouldWriteAccessLogLines() throws IOException {
		byte[] content = publish("/logged/seg-1.ts", randomBytes(4321));
		String path = "/" + this.publisherId + "/logged/seg-1.ts";
		assertThat(FileServingTestSupport.send("GET", url(path)).statusCode()).isEqualTo(200);
		assertThat(FileServingTestSupport.send("GET", url("/" + this.publisherId + "/logged/missing.ts")).statusCode())
			.isEqualTo(404);
		Path log = base().resolve("run").resolve("access.log");
		String served = awaitLogLine(log, "GET " + path + "?md5=");
		var matcher = LOG_LINE.matcher(served);
		assertThat(matcher.matches()).as(served).isTrue();
		assertThat(matcher.group("addr")).isEqualTo("127.0.0.1");
		assertThat(matcher.group("status")).isEqualTo("200");
		// $bytes_sent: the body and the headers
		assertThat(Long.parseLong(matcher.group("bytes"))).isGreaterThan(content.length)
			.isLessThan(content.length + 1024);
		String missing = awaitLogLine(log, "/logged/missing.ts");
		assertThat(LOG_LINE.matcher(missing).matches()).isTrue();
		assertThat(missing).contains("\" 404 ");
	}

	@Test
	void shouldServeTheProbeFilesAndLogNothingForThem() throws IOException {
		HttpResponse<byte[]> probe = FileServingTestSupport.send("GET", unsignedUrl(FileServerProbe.URL_PATH));
		assertThat(probe.statusCode()).isEqualTo(200);
		assertThat(probe.body()).isEqualTo(Files.readAllBytes(FileServerProbe.file(base())));
		HttpResponse<byte[]> entranceProbe = FileServingTestSupport.send("GET", unsignedUrl(DataPortProbe.PATH));
		assertThat(entranceProbe.statusCode()).isEqualTo(200);
		assertThat(entranceProbe.body()).isEqualTo(DataPortProbe.content());
		// A request logged after it: the probe's line would have come first
		assertThat(FileServingTestSupport.send("GET", url("/" + this.publisherId + "/after-probe.ts")).statusCode())
			.isEqualTo(404);
		awaitLogLine(base().resolve("run").resolve("access.log"), "/after-probe.ts");
		assertThat(Files.readAllLines(base().resolve("run").resolve("access.log")))
			.noneMatch((line) -> line.contains(FileServerProbe.URL_PATH));
	}

	@Test
	void shouldRefuseFilesWithoutAValidSignature() {
		byte[] content = publish("/signed/seg.ts", "signed only".getBytes(StandardCharsets.US_ASCII));
		String path = "/" + this.publisherId + "/signed/seg.ts";
		assertThat(FileServingTestSupport.send("GET", url(path)).body()).isEqualTo(content);
		HttpResponse<byte[]> unsigned = FileServingTestSupport.send("GET", unsignedUrl(path));
		assertThat(unsigned.statusCode()).isEqualTo(403);
		assertThat(new String(unsigned.body(), StandardCharsets.UTF_8)).doesNotContain("signed only");
		// The signature of another file opens nothing else
		String other = url("/" + this.publisherId + "/signed/other.ts");
		assertThat(FileServingTestSupport.send("GET", unsignedUrl(path) + other.substring(other.indexOf('?')))
			.statusCode()).isEqualTo(403);
		assertThat(FileServingTestSupport.send("HEAD", unsignedUrl(path)).statusCode()).isEqualTo(403);
	}

	/**
	 * What a player does on one keep-alive connection: preflights, files, refusals and
	 * misses one after the other, each answered (the builtin server once stopped reading
	 * the connection after a preflight or a refusal, reactor-netty#4361).
	 */
	@Test
	void shouldAnswerEveryRequestOnOneKeepAliveConnection() {
		byte[] content = publish("/keep-alive/seg.ts", "kept alive".getBytes(StandardCharsets.US_ASCII));
		String path = "/" + this.publisherId + "/keep-alive/seg.ts";
		for (int round = 0; round < 100; round++) {
			assertThat(FileServingTestSupport.send("OPTIONS", url(path)).statusCode()).as("round %d", round)
				.isEqualTo(204);
			assertThat(FileServingTestSupport.send("GET", url(path)).body()).as("round %d", round).isEqualTo(content);
			assertThat(FileServingTestSupport.send("GET", unsignedUrl(path)).statusCode()).as("round %d", round)
				.isEqualTo(403);
			assertThat(FileServingTestSupport.send("GET", url(path + ".missing")).statusCode()).as("round %d", round)
				.isEqualTo(404);
			assertThat(FileServingTestSupport.send("HEAD", url(path)).statusCode()).as("round %d", round)
				.isEqualTo(200);
		}
	}

	static String awaitLogLine(Path log, String fragment) throws IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (true) {
			if (Files.exists(log)) {
				for (String line : Files.readAllLines(log)) {
					if (line.contains(fragment)) {
						return line;
					}
				}
			}
			assertThat(System.nanoTime()).as("a line with %s in %s", fragment, log).isLessThan(deadline);
			Mono.delay(Duration.ofMillis(20)).block();
		}
	}

	static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

}
