package io.dandelion.publisher.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import io.dandelion.publisher.watch.TestBoxServer.Served;
import io.dandelion.publisher.watch.ViewerPage.Playback;
import io.dandelion.publisher.watch.ViewerPage.Segment;
import io.dandelion.publisher.trust.PublisherSigningKey;
import io.dandelion.publisher.watch.ViewerPage.Stats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The viewer page in a real browser: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) plays a stream that ffmpeg produced at test start, its
 * playlist rewritten so most segments come from a test box on another loopback address
 * and two from the publisher's {@code /origin/}, and the page's figures are checked
 * against what both servers really sent. The stream's manifest is signed with the
 * publisher's own key, so the page verifies every segment the box sent (a tampered one is
 * caught in {@code network.TamperedSegmentBrowserTests}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
// Closes the context after this class, which stops the test box server with it.
@DirtiesContext
@Tag(TestRedis.ONE_LAYOUT_TAG)
class WatchPageBrowserTests {

	private static final Logger logger = LoggerFactory.getLogger(WatchPageBrowserTests.class);

	private static final String STREAM = "demo";

	/** Segments served by the publisher itself; every other one comes from the box. */
	private static final Set<Integer> ORIGIN_SEGMENTS = Set.of(2, 9);

	private static final Duration PLAYED = Duration.ofSeconds(10);

	private static final Path SCREENSHOT = Path.of("target", "watch-screenshot.png");

	@TempDir
	static Path baseDirectory;

	@DynamicPropertySource
	static void publisherProperties(DynamicPropertyRegistry registry) {
		registry.add("publisher.base-directory", () -> baseDirectory.toString());
	}

	@LocalServerPort
	private int port;

	@Autowired
	private TestLiveStream live;

	@TempDir
	private Path userDataDirectory;

	@Test
	void shouldPlayTheStreamAndCountTheBytesEachServerSent() throws Exception {
		try (ViewerPage page = ViewerPage.open("http://127.0.0.1:" + this.port + "/watch/" + STREAM,
				this.userDataDirectory)) {
			checkPlaybackAndFigures(page);
		}
	}

	private void checkPlaybackAndFigures(ViewerPage page) throws IOException {
		// Playback: currentTime advances by 10 s of media, at about the speed of a clock.
		Playback playback = page.awaitPlayback(PLAYED, Duration.ofSeconds(20));
		logger.info("Played {} s of media in {} ms (samples {})", PLAYED.toSeconds(), playback.elapsed().toMillis(),
				playback.samples());
		assertThat(playback.elapsed()).as("wall time for 10 s of media").isGreaterThan(PLAYED.minusSeconds(1));
		assertThat(playback.samples()).as("currentTime never goes back").isSorted();
		assertThat(page.paused()).isFalse();

		// The whole (VOD) playlist is buffered by now; wait for its last segment.
		List<String> segments = this.live.hls().segments();
		AtomicReference<Stats> latest = new AtomicReference<>();
		await("every segment counted").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
			latest.set(page.stats());
			return latest.get().segments().size() >= segments.size();
		});
		Stats stats = latest.get();
		page.saveScreenshot(SCREENSHOT);
		logger.info("Screenshot of the viewer page: {}", SCREENSHOT.toAbsolutePath());

		// What the page counted is what the two servers sent, segment by segment.
		List<Served> boxServed = this.live.box().served();
		List<Served> originServed = this.live.originServed();
		assertThat(stats.segments()).hasSize(segments.size());
		assertThat(stats.segments().stream().filter(Segment::fromBox).map(WatchPageBrowserTests::served))
			.containsExactlyInAnyOrderElementsOf(boxServed);
		assertThat(stats.segments().stream().filter((segment) -> !segment.fromBox()).map(WatchPageBrowserTests::served))
			.containsExactlyInAnyOrderElementsOf(originServed);
		assertThat(stats.segments()).allSatisfy((segment) -> assertThat(segment.host())
			.isEqualTo(segment.fromBox() ? this.live.box().hostAndPort() : "origin"));
		assertThat(boxServed).hasSize(segments.size() - ORIGIN_SEGMENTS.size());
		assertThat(originServed).hasSize(ORIGIN_SEGMENTS.size());
		assertThat(stats.boxBytes()).isEqualTo(total(boxServed));
		assertThat(stats.originBytes()).isEqualTo(total(originServed));

		// Every segment from the box matched the signed manifest before it was played
		assertThat(stats.integrity()).isEqualTo("verifying");
		assertThat(stats.verified()).isEqualTo(boxServed.size());
		assertThat(stats.tampered()).isZero();
		assertThat(stats.tamperedSegments()).isEmpty();
		assertThat(stats.segments()).allSatisfy(
				(segment) -> assertThat(segment.integrity()).isEqualTo(segment.fromBox() ? "verified" : "origin"));
		assertThat(this.live.manifestsServed().get()).as("manifests served").isPositive();

		// The offload ratio is the one the rewritten playlist implies, and the overlay
		// shows it.
		long expectedBox = 0;
		long expectedOrigin = 0;
		for (int i = 0; i < segments.size(); i++) {
			long size = this.live.hls().size(segments.get(i));
			if (ORIGIN_SEGMENTS.contains(i)) {
				expectedOrigin += size;
			}
			else {
				expectedBox += size;
			}
		}
		assertThat(stats.boxBytes()).isEqualTo(expectedBox);
		assertThat(stats.originBytes()).isEqualTo(expectedOrigin);
		double ratio = (double) expectedBox / (expectedBox + expectedOrigin);
		logger.info("{} segments: {} bytes from the box, {} from the origin, offload ratio {}", segments.size(),
				expectedBox, expectedOrigin, ratio);
		assertThat(page.script("return document.querySelector('.dandelion-ratio').textContent"))
			.isEqualTo(String.format(Locale.ROOT, "%.1f %%", ratio * 100));
	}

	private static long total(List<Served> served) {
		return served.stream().mapToLong(Served::bytes).sum();
	}

	private static Served served(Segment segment) {
		return new Served(segment.fileName(), segment.bytes());
	}

	/**
	 * The live part this page relies on, stood in for: the stream's playlist at
	 * {@code /live/{stream}/index.m3u8}, rewritten so that the segments in
	 * {@link #ORIGIN_SEGMENTS} point at the publisher's {@code /origin/{stream}/} and all
	 * others at a box; and the origin's segments.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class LiveStreamConfiguration {

		@Bean
		TestLiveStream testLiveStream(NodeId nodeId) throws IOException, InterruptedException {
			return TestLiveStream.start(nodeId);
		}

		@Bean
		RouterFunction<ServerResponse> testLiveRoutes(TestLiveStream live, NodeId nodeId,
				PublisherSigningKey signingKey) {
			return RouterFunctions.route().GET("/live/" + STREAM + "/manifest.json", (request) -> {
				byte[] body = live.manifest(nodeId);
				live.manifestsServed.incrementAndGet();
				return ServerResponse.ok()
					.contentType(MediaType.APPLICATION_JSON)
					.header("Dandelion-Signature", signingKey.sign(body))
					.bodyValue(body);
			})
				.GET("/live/" + STREAM + "/index.m3u8",
						(request) -> ServerResponse.ok()
							.contentType(MediaType.parseMediaType("application/vnd.apple.mpegurl"))
							.bodyValue(live.playlist()))
				.GET("/origin/" + STREAM + "/{segment}", (request) -> {
					String segment = request.pathVariable("segment");
					if (!live.hls().segments().contains(segment)) {
						return ServerResponse.notFound().build();
					}
					byte[] bytes = live.hls().read(segment);
					live.originServed().add(new Served(segment, bytes.length));
					return ServerResponse.ok().contentType(MediaType.parseMediaType("video/mp2t")).bodyValue(bytes);
				})
				.build();
		}

	}

	/**
	 * The test stream, the box serving it and the rewritten playlist; closed with the
	 * context.
	 *
	 * @param hls the stream ffmpeg wrote
	 * @param box the box server
	 * @param playlist the playlist viewers get
	 * @param originServed the segments {@code /origin/} sent
	 * @param manifestsServed how many manifests the page fetched
	 */
	record TestLiveStream(TestHlsStream hls, TestBoxServer box, String playlist, List<Served> originServed,
			AtomicInteger manifestsServed) implements AutoCloseable {

		static TestLiveStream start(NodeId nodeId) throws IOException, InterruptedException {
			Path directory = Files.createTempDirectory("dandelion-watch-hls");
			TestHlsStream hls = TestHlsStream.generate(directory);
			TestBoxServer box = new TestBoxServer(hls, nodeId.toString(), STREAM);
			return new TestLiveStream(hls, box, rewrite(hls, box), new CopyOnWriteArrayList<>(), new AtomicInteger());
		}

		/** The stream's manifest as the publisher writes it: every segment's SHA-256. */
		byte[] manifest(NodeId nodeId) {
			Map<String, String> segments = new LinkedHashMap<>();
			for (String segment : this.hls.segments()) {
				segments.put("/live/" + STREAM + "/" + segment,
						HexFormat.of().formatHex(sha256(this.hls.read(segment))));
			}
			Map<String, Object> manifest = new LinkedHashMap<>();
			manifest.put("PUBLISHER", nodeId.value());
			manifest.put("STREAM", STREAM);
			manifest.put("ISSUED_AT", System.currentTimeMillis());
			manifest.put("SEGMENTS", segments);
			try {
				return new ObjectMapper().writeValueAsBytes(manifest);
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static byte[] sha256(byte[] bytes) {
			try {
				return MessageDigest.getInstance("SHA-256").digest(bytes);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static String rewrite(TestHlsStream hls, TestBoxServer box) {
			List<String> lines = new ArrayList<>();
			int index = 0;
			for (String line : hls.playlist().lines().toList()) {
				if (TestHlsStream.isUri(line)) {
					lines.add(ORIGIN_SEGMENTS.contains(index) ? "/origin/" + STREAM + "/" + line
							: box.segmentBaseUrl() + line);
					index++;
				}
				else {
					lines.add(line);
				}
			}
			return String.join("\n", lines) + "\n";
		}

		@Override
		public void close() throws IOException {
			try {
				this.box.close();
			}
			finally {
				FileSystemUtils.deleteRecursively(this.hls.directory());
			}
		}

	}

}
