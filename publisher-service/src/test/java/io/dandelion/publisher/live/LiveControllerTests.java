package io.dandelion.publisher.live;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestGeoIp;
import io.dandelion.protocol.testing.WithTestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The live URLs of the running publisher, over loopback: a stream written by a real
 * {@code ffmpeg} (a child process, at most a few seconds) is published segment by segment
 * and every segment its rewritten playlist lists can be fetched, from a fake box or from
 * the publisher's origin; the hold-back of young unstored segments at the end of a live
 * playlist; plus the edges (unknown streams, traversal, Range, CORS).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "publisher.base-directory=target/test-identity", "publisher.live.rescan-period=500ms",
				"publisher.live.hls-segment-ttl=30s", "publisher.live.hold-back=10m",
				"publisher.live.segment-urls=box" })
@WithTestRedis
class LiveControllerTests {

	private static final Path WATCH_DIR = Path.of("target", "live-" + UUID.randomUUID()).toAbsolutePath();

	private static final String PUBLISHER_ID = "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5";

	/**
	 * Segments the fake locations call not stored yet, so that the origin serves them.
	 */
	private static final String NOT_STORED_SUFFIX = "1.ts";

	/** Segments the fake locations call stored whether published or not. */
	private static final String STORED_NAME = "stored.ts";

	private static final List<Path> published = new CopyOnWriteArrayList<>();

	private static final List<String> publishedNames = new CopyOnWriteArrayList<>();

	private static Process ffmpeg;

	private static HttpServer box;

	private WebTestClient client;

	@BeforeEach
	void connect(@LocalServerPort int port) {
		this.client = TestClients.local(port);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void liveProperties(DynamicPropertyRegistry registry) {
		registry.add("publisher.live.watch-dirs", WATCH_DIR::toString);
		// Viewers on loopback placed around the world, behind a proxy on 127.0.0.1
		registry.add("publisher.geoip-database", () -> TestGeoIp.database().toString());
		registry.add("publisher.trusted-proxies[0]", () -> "127.0.0.1");
	}

	@BeforeAll
	static void startEncoderAndBox() throws IOException {
		Path demo = Files.createDirectories(WATCH_DIR.resolve("demo"));
		Files.writeString(demo.resolve("index.m3u8"),
				"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\na.ts\n#EXTINF:1.0,\nb.m4s\n");
		Files.write(demo.resolve("a.ts"), bytes(1000));
		Files.write(demo.resolve("b.m4s"), bytes(100));
		Files.createSymbolicLink(demo.resolve("escape.ts"), Path.of("/etc/hostname"));
		// Live streams ending with an unstored segment: just written (held back), an hour
		// old (longer than the 10 minutes of hold-back) and gone
		for (String stream : List.of("young", "old", "gone")) {
			Path dir = Files.createDirectories(WATCH_DIR.resolve(stream));
			Files.writeString(dir.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:5\n"
					+ "#EXTINF:1.0,\n" + STORED_NAME + "\n#EXT-X-DISCONTINUITY\n#EXTINF:1.0,\nlast1.ts\n");
			Files.write(dir.resolve(STORED_NAME), bytes(188));
			if (!stream.equals("gone")) {
				Files.write(dir.resolve("last1.ts"), bytes(188));
			}
		}
		Files.setLastModifiedTime(WATCH_DIR.resolve("old/last1.ts"),
				FileTime.from(Instant.now().minus(Duration.ofHours(1))));
		box = fakeBox();
		ffmpeg = startFfmpeg(Files.createDirectories(WATCH_DIR.resolve("cam")));
	}

	@Test
	void shouldCountEachPlaylistViewerInTheAudience() {
		// Twenty requests from Frankfurt, ten from New York (the other tests' playlists
		// come from Taoyuan, 127.0.0.1)
		for (int request = 0; request < 30; request++) {
			this.client.get()
				.uri("/live/demo/index.m3u8")
				.header("X-Forwarded-For", (request % 3 == 2) ? "127.0.4.50" : "127.0.3." + (50 + request))
				.exchange()
				.expectStatus()
				.isOk();
		}
		// The summary is worked out again at most once a second
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> this.client.get()
				.uri("/api/v1/audience")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.regions[?(@.lat == 50.5 && @.lon == 8.5)]")
				.exists()
				.jsonPath("$.regions[?(@.lat == 40.5 && @.lon == -74.5)]")
				.exists()
				.jsonPath("$.recentRequests")
				.value((Double requests) -> assertThat(requests).isGreaterThan(29.0)));
	}

	@AfterAll
	static void stopEncoderAndBox() throws InterruptedException {
		if (ffmpeg != null) {
			ffmpeg.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
		if (box != null) {
			box.stop(0);
		}
	}

	@Test
	void shouldResolveEverySegmentOfALiveStreamWrittenByFfmpeg() throws Exception {
		assertThat(ffmpeg.waitFor(10, TimeUnit.SECONDS)).as("ffmpeg ends within 10 s").isTrue();
		assertThat(ffmpeg.exitValue()).as("ffmpeg exit status, see %s", ffmpegLog()).isZero();
		Path cam = WATCH_DIR.resolve("cam");
		HlsPlaylist written = HlsPlaylist.parse(Files.readString(cam.resolve("index.m3u8")));
		List<Path> listed = PlaylistRewriter.mediaFiles(written, LivePath.parse("cam/index.m3u8").orElseThrow())
			.stream()
			.map((file) -> file.in(WATCH_DIR))
			.toList();
		assertThat(listed).hasSizeGreaterThanOrEqualTo(3);
		// Each finished segment published once, with the HLS TTL, under its public name
		await().atMost(Duration.ofSeconds(5)).until(() -> published.containsAll(listed));
		assertThat(published).doesNotHaveDuplicates();
		assertThat(publishedNames)
			.containsAll(listed.stream().map((file) -> "/live/cam/" + file.getFileName()).toList());

		String playlist = this.client.get()
			.uri("/live/cam/index.m3u8")
			.header("Origin", "http://viewer.example")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(LiveController.MPEGURL)
			.expectHeader()
			.cacheControl(CacheControl.noCache())
			.expectHeader()
			.valueEquals("Access-Control-Allow-Origin", "*")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> uris = playlist.lines().filter((line) -> !line.startsWith("#") && !line.isBlank()).toList();
		// The stream has ended (#EXT-X-ENDLIST), so nothing is held back: an unstored
		// *1.ts goes to the origin even at the end
		assertThat(playlist).contains("#EXT-X-ENDLIST");
		assertThat(uris).hasSameSizeAs(listed);
		int fromBoxes = 0;
		int fromOrigin = 0;
		for (int i = 0; i < uris.size(); i++) {
			byte[] expected = Files.readAllBytes(listed.get(i));
			String uri = uris.get(i);
			if (listed.get(i).toString().endsWith(NOT_STORED_SUFFIX)) {
				assertThat(uri).isEqualTo("/origin/cam/" + listed.get(i).getFileName());
				this.client.get()
					.uri(uri)
					.exchange()
					.expectStatus()
					.isOk()
					.expectHeader()
					.contentType("video/mp2t")
					.expectBody(byte[].class)
					.isEqualTo(expected);
				fromOrigin++;
			}
			else {
				assertThat(uri).isEqualTo(boxUrl(listed.get(i)));
				this.client.get()
					.uri(URI.create(uri))
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(byte[].class)
					.isEqualTo(expected);
				fromBoxes++;
			}
		}
		assertThat(fromBoxes).isPositive();
		assertThat(fromOrigin).isPositive();
	}

	@Test
	void shouldAnswerAProblemForAnUnknownStream() {
		this.client.get()
			.uri("/live/nosuch/index.m3u8")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404);
		this.client.get().uri("/origin/nosuch/0.ts").exchange().expectStatus().isNotFound();
		this.client.get().uri("/live/demo/a.ts").exchange().expectStatus().isNotFound();
		this.client.get().uri("/origin/demo/index.m3u8").exchange().expectStatus().isNotFound();
	}

	@Test
	void shouldRefuseTraversal() {
		for (String path : List.of("/live/..%2F..%2Fetc/passwd.m3u8", "/live/%2e%2e/%2e%2e/etc/passwd.m3u8",
				"/origin/demo/..%2F..%2F..%2Fetc%2Fhostname.ts", "/origin/%2e%2e/demo/a.ts", "/origin/demo%5C..%5Ca.ts",
				"/origin/demo/%252e%252e/a.ts")) {
			HttpStatus status = HttpStatus
				.resolve(this.client.get().uri(raw(path)).exchange().expectBody().returnResult().getStatus().value());
			assertThat(status).as(path).isIn(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND);
		}
		this.client.get().uri(raw("/live/%2e%2e/demo/index.m3u8")).exchange().expectStatus().isBadRequest();
		// A symbolic link out of the watch directory is not a segment of it
		this.client.get().uri("/origin/demo/escape.ts").exchange().expectStatus().isNotFound();
	}

	@Test
	void shouldServeOriginSegmentsWithTheirMediaTypeAndRanges() {
		this.client.get()
			.uri("/origin/demo/a.ts")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("video/mp2t")
			.expectBody(byte[].class)
			.isEqualTo(bytes(1000));
		this.client.get()
			.uri("/origin/demo/b.m4s")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("video/iso.segment");
		byte[] range = this.client.get()
			.uri("/origin/demo/a.ts")
			.header("Range", "bytes=10-19")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		byte[] expected = new byte[10];
		System.arraycopy(bytes(1000), 10, expected, 0, 10);
		assertThat(range).isEqualTo(expected);
	}

	@Test
	void shouldPointTheStoredSegmentsOfAStreamAtTheirBox() {
		this.client.get()
			.uri("/live/demo/index.m3u8")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((text) -> assertThat(text.lines().filter((line) -> !line.startsWith("#")))
				.containsExactly(boxUrl(WATCH_DIR.resolve("demo/a.ts")), boxUrl(WATCH_DIR.resolve("demo/b.m4s"))));
	}

	@Test
	void shouldHoldBackAYoungUnstoredSegmentAtTheEndOfALivePlaylist() {
		assertThat(playlistOf("young")).isEqualTo("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:5\n"
				+ "#EXTINF:1.0,\n" + boxUrl(WATCH_DIR.resolve("young").resolve(STORED_NAME)) + "\n");
	}

	@Test
	void shouldPointAnUnstoredSegmentOlderThanTheHoldBackAtTheOrigin() {
		double toBoxes = segments("box");
		double toOrigin = segments("origin");
		assertThat(playlistOf("old").lines().filter((line) -> !line.startsWith("#")))
			.containsExactly(boxUrl(WATCH_DIR.resolve("old").resolve(STORED_NAME)), "/origin/old/last1.ts");
		assertThat(segments("box")).isEqualTo(toBoxes + 1);
		assertThat(segments("origin")).isEqualTo(toOrigin + 1);
		this.client.get().uri("/origin/old/last1.ts").exchange().expectStatus().isOk();
	}

	@Test
	void shouldNotHoldBackASegmentWhoseFileIsGone() {
		assertThat(playlistOf("gone").lines().filter((line) -> !line.startsWith("#")))
			.containsExactly(boxUrl(WATCH_DIR.resolve("gone").resolve(STORED_NAME)), "/origin/gone/last1.ts");
	}

	private double segments(String target) {
		return this.meters.get("dandelion.publisher.playlist.segments").tag("target", target).counter().count();
	}

	private String playlistOf(String stream) {
		return this.client.get()
			.uri("/live/" + stream + "/index.m3u8")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** A URI sent as written, without the client encoding it again. */
	private URI raw(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static byte[] bytes(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 31);
		}
		return bytes;
	}

	/** Where the fake box serves a file of the watch directory: under its public name. */
	private static String boxUrl(Path file) {
		return boxUrl(name(file));
	}

	private static String boxUrl(String name) {
		return "http://127.0.0.1:" + box.getAddress().getPort() + "/" + PUBLISHER_ID + name;
	}

	/** The public name of a file of the watch directory. */
	private static String name(Path file) {
		return "/live/" + WATCH_DIR.relativize(file).toString().replace('\\', '/');
	}

	/**
	 * A box's file server: {@code /{publisher-id}{FILE_PATH}} answers the file's bytes,
	 * {@code FILE_PATH} being a public name {@code /live/{path in the watch directory}}.
	 */
	private static HttpServer fakeBox() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/" + PUBLISHER_ID + "/live/", (exchange) -> {
			Path file = WATCH_DIR
				.resolve(exchange.getRequestURI().getPath().substring(PUBLISHER_ID.length() + "/live/".length() + 1))
				.normalize();
			byte[] body = (file.startsWith(WATCH_DIR) && Files.isRegularFile(file)) ? Files.readAllBytes(file) : null;
			exchange.sendResponseHeaders((body != null) ? 200 : 404, (body != null) ? body.length : -1);
			try (OutputStream out = exchange.getResponseBody()) {
				if (body != null) {
					out.write(body);
				}
			}
		});
		server.start();
		return server;
	}

	private static Process startFfmpeg(Path cam) throws IOException {
		List<String> command = new ArrayList<>(List.of(ffmpegBinary(), "-hide_banner", "-loglevel", "error", "-nostdin",
				"-re", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine", "-c:v",
				"libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-t", "5", "-f", "hls", "-hls_time", "1",
				"-hls_list_size", "5", "-hls_flags", "delete_segments+temp_file", "-hls_segment_filename",
				cam.resolve("seg%03d.ts").toString(), cam.resolve("index.m3u8").toString()));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ffmpegLog().toFile()).start();
	}

	private static Path ffmpegLog() {
		return WATCH_DIR.resolveSibling(WATCH_DIR.getFileName() + "-ffmpeg.log");
	}

	private static String ffmpegBinary() {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
			if (Files.isExecutable(Path.of(dir, "ffmpeg"))) {
				return Path.of(dir, "ffmpeg").toString();
			}
		}
		return fail("These tests need ffmpeg on the PATH (Debian: apt-get install ffmpeg)");
	}

	/**
	 * Stands in for the publishing pipeline (tested on its own in the network tests),
	 * preferred over it here.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class FakePublishingSide {

		@Bean
		@Primary
		SegmentPublisher segmentPublisher() {
			return (name, file, ttl) -> Mono.fromRunnable(() -> {
				assertThat(ttl).isEqualTo(Duration.ofSeconds(30));
				published.add(file);
				publishedNames.add(name);
			});
		}

		/**
		 * Stored: everything published but segments named *1.ts, the demo stream, and
		 * segments named stored.ts.
		 */
		@Bean
		@Primary
		SegmentLocations segmentLocations() {
			return (name) -> {
				assertThat(name).startsWith("/live/").doesNotContain(WATCH_DIR.toString());
				boolean stored = name.startsWith("/live/demo/") || name.endsWith("/" + STORED_NAME)
						|| (publishedNames.contains(name) && !name.endsWith(NOT_STORED_SUFFIX));
				return Mono.just(stored ? Optional.of(URI.create(boxUrl(name))) : Optional.empty());
			};
		}

	}

}
