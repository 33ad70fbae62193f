package io.dandelion.publisher.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.dandelion.publisher.network.TestNetwork.Box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live HLS through a real network: ffmpeg writes a stream into the publisher's watch
 * directory, the publisher publishes each finished segment to boxes, and its rewritten
 * playlist points every segment at a box that serves the exact bytes.
 */
class LiveNetworkTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path home;

	private TestNetwork network;

	@BeforeEach
	void startNetwork() {
		this.network = TestNetwork.start();
	}

	@AfterEach
	void stopNetwork() {
		this.network.close();
	}

	@Test
	void shouldPointEverySegmentOfTheLivePlaylistAtABoxServingItsBytes() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home.resolve("publisher"),
				"publisher.live.watch-dirs[0]=" + watch, "publisher.live.rescan-period=200ms");
		WebTestClient client = TestNetwork.client(publisher);
		Path stream = Files.createDirectories(watch.resolve("demo"));
		encode(stream);

		List<String> segments = await().atMost(WAIT)
			.until(() -> segmentUris(client),
					(uris) -> !uris.isEmpty() && uris.stream()
						.allMatch((uri) -> uri.startsWith("http://" + tokyo.ip() + ":" + tokyo.dataPort() + "/")
								|| uri.startsWith("http://" + frankfurt.ip() + ":" + frankfurt.dataPort() + "/")));
		List<String> files = Files.readAllLines(stream.resolve("index.m3u8"))
			.stream()
			.filter((line) -> line.endsWith(".ts"))
			.toList();
		assertThat(segments).hasSameSizeAs(files);
		for (int i = 0; i < segments.size(); i++) {
			byte[] served = TestNetwork.fetch(segments.get(i));
			assertThat(served).as(segments.get(i)).isEqualTo(Files.readAllBytes(stream.resolve(files.get(i))));
		}
	}

	private static List<String> segmentUris(WebTestClient client) {
		String playlist = client.get()
			.uri("/live/demo/index.m3u8")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		if (playlist == null || !playlist.startsWith("#EXTM3U")) {
			return List.of();
		}
		return playlist.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).toList();
	}

	/**
	 * Four one-second segments of ffmpeg's test pattern, as an encoder would write them.
	 */
	private static void encode(Path stream) throws IOException, InterruptedException {
		Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi",
				"-i", "testsrc=size=320x180:rate=25", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
				"-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_flags", "temp_file",
				stream.resolve("index.m3u8").toString())
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
			assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes())).isZero();
		}
		finally {
			ffmpeg.destroyForcibly();
		}
	}

}
