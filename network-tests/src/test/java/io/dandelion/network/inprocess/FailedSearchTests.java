package io.dandelion.network.inprocess;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.network.inprocess.TestNetwork.Box;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SEARCH that fails (here: the entrance is down) tells the publisher nothing about its
 * boxes: the boxes it is connected to stay in its pool, live, and the playlists keep
 * pointing at them however long the entrances fail (issue 11: an oversized reply emptied
 * the pool and sent every viewer to the origin).
 */
@Tag(TestRedis.TAG)
@WithTestNetwork
class FailedSearchTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/**
	 * Several times what the publisher keeps a box no entrance lists (three SEARCH
	 * periods of 500 ms).
	 */
	private static final Duration ENTRANCE_DOWN = Duration.ofSeconds(5);

	@TempDir
	Path home;

	private TestNetwork network;

	@Test
	void shouldKeepConnectedBoxesAndThePlaylistOnThemWhileTheEntranceIsDown() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		ConfigurableApplicationContext publisher = this.network.startLivePublisher(this.home.resolve("publisher"),
				watch);
		WebTestClient client = TestNetwork.client(publisher);
		Path stream = Files.createDirectories(watch.resolve("demo"));
		List<String> segments = List.of("0.ts", "1.ts", "2.ts");
		for (String segment : segments) {
			Files.writeString(stream.resolve(segment), "segment " + segment + " ".repeat(1000));
		}
		Files.writeString(stream.resolve("index.m3u8"), playlist(segments));
		await().atMost(WAIT).until(() -> playlistAtBoxes(client, segments.size(), tokyo, frankfurt));
		await().atMost(WAIT).until(() -> isReady(client, tokyo) && isReady(client, frankfurt));

		this.network.stopEntrance();
		// Until no entrance has listed either box for several times what the publisher
		// keeps a box the entrances stop listing, or one of them was dropped
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !isKnown(client, tokyo) || !isKnown(client, frankfurt)
					|| (unlistedFor(client, tokyo).compareTo(ENTRANCE_DOWN) > 0
							&& unlistedFor(client, frankfurt).compareTo(ENTRANCE_DOWN) > 0));

		for (Box box : List.of(tokyo, frankfurt)) {
			Map<String, Object> status = TestNetwork.box(client, box.id());
			assertThat(status).as("%s in the pool", box.ip())
				.containsEntry("connection", "READY")
				.containsEntry("live", true);
		}
		assertThat(playlistAtBoxes(client, segments.size(), tokyo, frankfurt)).isTrue();
	}

	private static String playlist(List<String> segments) {
		StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n");
		for (String segment : segments) {
			text.append("#EXTINF:1.000000,\n").append(segment).append('\n');
		}
		return text.append("#EXT-X-ENDLIST\n").toString();
	}

	/**
	 * Whether every segment of the playlist is listed at {@code /r/} and redirected to
	 * one of the boxes.
	 */
	private static boolean playlistAtBoxes(WebTestClient client, int count, Box... boxes) {
		String playlist = client.get()
			.uri("/live/demo/index.m3u8")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		if (playlist == null || !playlist.startsWith("#EXTM3U")) {
			return false;
		}
		List<String> uris = playlist.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).toList();
		return uris.size() == count
				&& uris.stream().allMatch((uri) -> uri.startsWith("/r/") && isAt(client, uri, boxes));
	}

	private static boolean isAt(WebTestClient client, String uri, Box... boxes) {
		URI location = client.get().uri(uri).exchange().returnResult(Void.class).getResponseHeaders().getLocation();
		return location != null && Arrays.stream(boxes)
			.anyMatch((box) -> location.toString().startsWith("http://" + box.ip() + ":" + box.dataPort() + "/"));
	}

	private static boolean isKnown(WebTestClient client, Box box) {
		return !TestNetwork.box(client, box.id()).isEmpty();
	}

	private static boolean isReady(WebTestClient client, Box box) {
		return "READY".equals(TestNetwork.box(client, box.id()).get("connection"));
	}

	private static Duration unlistedFor(WebTestClient client, Box box) {
		Object lastListed = TestNetwork.box(client, box.id()).get("lastListed");
		return (lastListed != null) ? Duration.between(Instant.parse(lastListed.toString()), Instant.now())
				: Duration.ZERO;
	}

}
