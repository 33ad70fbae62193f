package io.dandelion.network.inprocess;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.network.inprocess.TestNetwork.Box;
import io.dandelion.publisher.watch.TestHlsStream;
import io.dandelion.publisher.watch.ViewerPage;
import io.dandelion.publisher.watch.ViewerPage.Playback;
import io.dandelion.publisher.watch.ViewerPage.Segment;
import io.dandelion.publisher.watch.ViewerPage.Stats;
import io.dandelion.publisher.watch.ViewerPage.TamperedSegment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tampered segment caught in the viewer's browser, end to end: a live stream goes
 * through the publisher to real boxes, the owner of one box overwrites a stored segment
 * on its disk (same size, flipped bytes), and headless Chromium plays the stream from the
 * publisher's viewer page. The page finds that the box's bytes are not those of the
 * signed manifest, never plays them, plays the publisher's own copy instead and reports
 * the box, which the publisher then checks and excludes. Every wait is bounded.
 */
@Tag(TestRedis.TAG)
@WithTestNetwork
@Tag(TestRedis.ONE_LAYOUT_TAG)
class TamperedSegmentBrowserTests {

	private static final Logger logger = LoggerFactory.getLogger(TamperedSegmentBrowserTests.class);

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String STREAM = "demo";

	/** The segment tampered with: a few seconds in, so playback runs across it. */
	private static final int TAMPERED = 4;

	private static final Path SCREENSHOT = Path.of("target", "tampered-segment-screenshot.png");

	@TempDir
	Path home;

	@TempDir
	Path userDataDirectory;

	private TestNetwork network;

	@Test
	void shouldCatchASegmentTamperedWithOnABoxAndPlayThePublishersCopyInstead() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		// One replica per segment: the viewer can only get the tampered one from the box
		// holding it
		ConfigurableApplicationContext publisher = this.network.startLivePublisher(this.home.resolve("publisher"),
				watch, "publisher.live.hls-segment-ttl=600s", "publisher.publish.replicas=1");
		String publisherId = publisher.getBean(NodeId.class).value();
		WebTestClient client = TestNetwork.client(publisher);
		TestHlsStream hls = writeStream(Files.createDirectories(this.home.resolve("encoded")), watch.resolve(STREAM));

		// Every segment stored on a box
		for (String segment : hls.segments()) {
			await("segment " + segment + " stored").atMost(WAIT)
				.until(() -> holder(client, "/live/" + STREAM + "/" + segment) != null);
		}
		String tampered = "/live/" + STREAM + "/" + hls.segments().get(TAMPERED);
		String holderId = holder(client, tampered);
		Box holder = holderId.equals(tokyo.id()) ? tokyo : frankfurt;
		TestNetwork.tamper(holder.stored(publisherId, tampered));
		assertThat(Files.size(holder.stored(publisherId, tampered))).isEqualTo(hls.size(hls.segments().get(TAMPERED)));
		String holderHost = holder.ip() + ":" + holder.dataPort();
		logger.info("Tampered with {} on box {} ({})", tampered, holder.id(), holderHost);

		try (ViewerPage page = ViewerPage.open("http://127.0.0.1:" + TestNetwork.port(publisher) + "/watch/" + STREAM,
				this.userDataDirectory)) {
			// Playback goes on across the tampered segment
			Playback playback = page.awaitPlayback(Duration.ofSeconds(TAMPERED + 4), Duration.ofSeconds(30));
			assertThat(playback.samples()).as("currentTime never goes back").isSorted();
			assertThat(page.currentTime()).isGreaterThan(TAMPERED + 1);
			assertThat(page.paused()).isFalse();

			// The page caught it, never played the box's bytes, and played the
			// publisher's copy;
			// the publisher confirmed the page's report
			AtomicReference<Stats> latest = new AtomicReference<>();
			await("the publisher's verdict on the page").atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
				latest.set(page.stats());
				return latest.get()
					.tamperedSegments()
					.stream()
					.anyMatch((caught) -> tampered.equals(caught.name()) && caught.verdict() != null);
			});
			page.saveScreenshot(SCREENSHOT);
			logger.info("Screenshot of the viewer page: {}", SCREENSHOT.toAbsolutePath());
			Stats stats = latest.get();
			assertThat(stats.integrity()).isEqualTo("verifying");
			assertThat(stats.tampered()).isGreaterThanOrEqualTo(1);
			TamperedSegment caught = stats.tamperedSegments()
				.stream()
				.filter((segment) -> tampered.equals(segment.name()))
				.findFirst()
				.orElseThrow();
			assertThat(caught.host()).isEqualTo(holderHost);
			assertThat(caught.url()).startsWith("http://" + holderHost + "/" + publisherId + tampered);
			assertThat(caught.refetched()).isTrue();
			assertThat(caught.verdict()).isEqualTo("confirmed");
			// Only that segment was refused: every other one a box sent matched
			assertThat(stats.tamperedSegments()).extracting(TamperedSegment::name).containsOnly(tampered);
			assertThat(stats.verified()).isPositive();
			List<Segment> loaded = stats.segments()
				.stream()
				.filter((segment) -> segment.fileName().equals(hls.segments().get(TAMPERED)))
				.toList();
			assertThat(loaded).isNotEmpty()
				.allSatisfy((segment) -> assertThat(segment.integrity()).isIn("refetched", "origin"))
				.allSatisfy((segment) -> assertThat(segment.host()).isEqualTo("origin"));
			assertThat(stats.segments()).noneSatisfy((segment) -> {
				assertThat(segment.host()).isEqualTo(holderHost);
				assertThat(segment.fileName()).isEqualTo(hls.segments().get(TAMPERED));
			});
			assertThat(page.script("return document.querySelector('.dandelion-tampered').textContent")).asString()
				.contains("tampered: box " + holderHost + " → refetched from origin");
		}

		// The publisher sends no viewer to that box any more
		Map<String, Object> status = TestNetwork.box(client, holder.id());
		assertThat(status).containsEntry("live", false);
		assertThat(status.get("excludedUntil")).isNotNull();
		await("the tampered segment re-published").atMost(WAIT)
			.untilAsserted(() -> assertThat(redirect(client, tampered)).isNotEmpty()
				.doesNotContain(holderHost)
				.satisfiesAnyOf((location) -> assertThat(location).startsWith("/origin/"),
						(location) -> assertThat(location).contains(otherHost(holder, tokyo, frankfurt))));
	}

	/**
	 * Writes the stream as an encoder finishing it would: segments first, then the
	 * playlist.
	 */
	private static TestHlsStream writeStream(Path encoded, Path stream) throws Exception {
		TestHlsStream hls = TestHlsStream.generate(encoded);
		Files.createDirectories(stream);
		for (String segment : hls.segments()) {
			Files.copy(encoded.resolve(segment), stream.resolve(segment));
		}
		Path temporary = stream.resolve(".index.m3u8.tmp");
		Files.writeString(temporary, hls.playlist());
		Files.move(temporary, stream.resolve("index.m3u8"), StandardCopyOption.ATOMIC_MOVE);
		return hls;
	}

	/** The box storing a file's one replica, or {@code null} while none does. */
	@SuppressWarnings("unchecked")
	private static String holder(WebTestClient client, String name) {
		Map<String, Object> file = TestNetwork.describe(client, name);
		if (file == null || !"stored".equals(file.get("state"))) {
			return null;
		}
		List<Map<String, Object>> replicas = (List<Map<String, Object>>) file.get("replicas");
		return (replicas == null || replicas.isEmpty()) ? null : (String) replicas.get(0).get("boxId");
	}

	private static String redirect(WebTestClient client, String name) {
		URI location = client.get()
			.uri("/r" + name)
			.exchange()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		return (location != null) ? location.toString() : "";
	}

	private static String otherHost(Box holder, Box... boxes) {
		for (Box box : boxes) {
			if (box != holder) {
				return box.ip() + ":" + box.dataPort();
			}
		}
		throw new IllegalStateException("No other box");
	}

}
