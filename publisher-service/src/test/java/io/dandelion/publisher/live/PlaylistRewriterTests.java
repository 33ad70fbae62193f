package io.dandelion.publisher.live;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.dandelion.publisher.live.LiveProperties.SegmentUrls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlaylistRewriter}: encoder playlists from {@code src/test/resources/live/},
 * rewritten without any I/O.
 */
class PlaylistRewriterTests {

	private static final Path WATCH_DIR = Path.of("/var/lib/dandelion/hls");

	private static final LivePath DEMO = LivePath.parse("demo/index.m3u8").orElseThrow();

	private final PlaylistRewriter boxes = new PlaylistRewriter(SegmentUrls.BOX);

	@Test
	void shouldPointStoredSegmentsAtTheirBoxAndTheOthersAtTheOrigin() throws IOException {
		Map<LivePath, URI> replicas = Map.of(path("demo/7.ts"), box("demo/7.ts"), path("demo/8.ts"), box("demo/8.ts"));
		String rewritten = this.boxes.rewrite(playlist("media.m3u8"), DEMO, WATCH_DIR, replicas);
		assertThat(rewritten).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-MEDIA-SEQUENCE:7
				#EXT-X-TARGETDURATION:2
				#EXT-X-DISCONTINUITY
				#EXTINF:2.000,
				http://203.0.113.7:7072/publisher-0c1d/var/lib/dandelion/hls/demo/7.ts
				#EXTINF:2.000,
				http://203.0.113.7:7072/publisher-0c1d/var/lib/dandelion/hls/demo/8.ts
				#EXTINF:1.960,
				/origin/demo/9.ts
				""");
	}

	@Test
	void shouldPointEverySegmentAtTheOriginWhenNoneIsStored() throws IOException {
		String rewritten = this.boxes.rewrite(playlist("media.m3u8"), DEMO, WATCH_DIR, Map.of());
		assertThat(rewritten.lines().filter((line) -> !line.startsWith("#"))).containsExactly("/origin/demo/7.ts",
				"/origin/demo/8.ts", "/origin/demo/9.ts");
	}

	@Test
	void shouldPointVariantsAndRenditionsOfAMasterPlaylistAtLivePlaylists() throws IOException {
		HlsPlaylist master = playlist("master.m3u8");
		assertThat(master.isMaster()).isTrue();
		assertThat(PlaylistRewriter.mediaFiles(master, path("demo.m3u8"))).isEmpty();
		String rewritten = this.boxes.rewrite(master, path("demo.m3u8"), WATCH_DIR, Map.of());
		assertThat(rewritten).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",DEFAULT=YES,URI="/live/demo_audio/index.m3u8"
				#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,AUDIO="aud"
				/live/demo_hi/index.m3u8
				#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,AUDIO="aud"
				/live/demo_lo/index.m3u8
				#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="/live/demo_hi/iframes.m3u8"
				""");
	}

	@Test
	void shouldRewriteTheInitialisationSegmentOfFragmentedMp4() throws IOException {
		HlsPlaylist fmp4 = playlist("fmp4.m3u8");
		assertThat(PlaylistRewriter.mediaFiles(fmp4, DEMO)).containsExactly(path("demo/init.mp4"),
				path("demo/seg3.m4s"), path("demo/seg4.m4s"));
		Map<LivePath, URI> replicas = Map.of(path("demo/init.mp4"), box("demo/init.mp4"), path("demo/seg3.m4s"),
				box("demo/seg3.m4s"));
		String rewritten = this.boxes.rewrite(fmp4, DEMO, WATCH_DIR, replicas);
		assertThat(rewritten)
			.contains("#EXT-X-MAP:URI=\"http://203.0.113.7:7072/publisher-0c1d/var/lib/dandelion/hls/demo/init.mp4\"\n")
			.contains("\nhttp://203.0.113.7:7072/publisher-0c1d/var/lib/dandelion/hls/demo/seg3.m4s\n")
			.contains("\n/origin/demo/seg4.m4s\n")
			.contains("#EXT-X-INDEPENDENT-SEGMENTS\n");
	}

	@Test
	void shouldReadCrlfLineEnds() throws IOException {
		String crlf = read("media.m3u8").replace("\n", "\r\n");
		HlsPlaylist playlist = HlsPlaylist.parse(crlf);
		assertThat(PlaylistRewriter.mediaFiles(playlist, DEMO)).containsExactly(path("demo/7.ts"), path("demo/8.ts"),
				path("demo/9.ts"));
		String rewritten = this.boxes.rewrite(playlist, DEMO, WATCH_DIR, Map.of(path("demo/9.ts"), box("demo/9.ts")));
		assertThat(rewritten).doesNotContain("\r")
			.isEqualTo(this.boxes.rewrite(playlist("media.m3u8"), DEMO, WATCH_DIR,
					Map.of(path("demo/9.ts"), box("demo/9.ts"))));
	}

	@Test
	void shouldTakeAbsoluteUrisByTheirFileNameBesideThePlaylist() throws IOException {
		HlsPlaylist playlist = playlist("absolute.m3u8");
		assertThat(PlaylistRewriter.mediaFiles(playlist, DEMO)).containsExactly(path("demo/3.ts"), path("demo/4.ts"));
		String rewritten = this.boxes.rewrite(playlist, DEMO, WATCH_DIR, Map.of(path("demo/4.ts"), box("demo/4.ts")));
		assertThat(rewritten.lines().filter((line) -> !line.startsWith("#"))).containsExactly("/origin/demo/3.ts",
				"http://203.0.113.7:7072/publisher-0c1d/var/lib/dandelion/hls/demo/4.ts",
				// Names no file in the watch directory: kept as written
				"../../outside.ts");
	}

	@Test
	void shouldPointStoredSegmentsAtTheRedirectInRedirectMode() throws IOException {
		PlaylistRewriter redirects = new PlaylistRewriter(SegmentUrls.REDIRECT);
		String rewritten = redirects.rewrite(playlist("media.m3u8"), DEMO, WATCH_DIR,
				Map.of(path("demo/7.ts"), box("demo/7.ts")));
		assertThat(rewritten.lines().filter((line) -> !line.startsWith("#")))
			.containsExactly("/r/var/lib/dandelion/hls/demo/7.ts", "/origin/demo/8.ts", "/origin/demo/9.ts");
	}

	@Test
	void shouldEncodeNamesInTheUrlsItWrites() {
		HlsPlaylist playlist = HlsPlaylist.parse("#EXTM3U\n#EXTINF:1,\nseg%201.ts\n#EXTINF:1,\nseg 2.ts\n");
		LivePath at = path("my stream/index.m3u8");
		assertThat(PlaylistRewriter.mediaFiles(playlist, at)).containsExactly(path("my stream/seg 1.ts"),
				path("my stream/seg 2.ts"));
		assertThat(
				this.boxes.rewrite(playlist, at, WATCH_DIR, Map.of()).lines().filter((line) -> !line.startsWith("#")))
			.containsExactly("/origin/my%20stream/seg%201.ts", "/origin/my%20stream/seg%202.ts");
	}

	private static LivePath path(String text) {
		return LivePath.parse(text).orElseThrow();
	}

	private static URI box(String path) {
		return URI.create("http://203.0.113.7:7072/publisher-0c1d" + path(path).in(WATCH_DIR));
	}

	private static HlsPlaylist playlist(String name) throws IOException {
		return HlsPlaylist.parse(read(name));
	}

	private static String read(String name) throws IOException {
		try (InputStream in = PlaylistRewriterTests.class.getResourceAsStream("/live/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
