package io.dandelion.publisher.live;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.dandelion.protocol.testing.SeededCases.Gen;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.publisher.config.LiveProperties.SegmentUrls;
import io.dandelion.publisher.config.LiveProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link PlaylistRewriter}: encoder playlists from {@code src/test/resources/live/},
 * rewritten without any I/O, with and without segments held back.
 */
@ExtendWith(SeededCases.class)
class PlaylistRewriterTests {

	private static final LivePath DEMO = LivePath.parse("demo/index.m3u8").orElseThrow();

	private static final Duration HOLD_BACK = Duration.ofSeconds(4);

	/**
	 * Older than the hold-back: an unstored segment this old is listed with its origin.
	 */
	private static final Duration OLD = Duration.ofMinutes(1);

	/** Younger than the hold-back: a trailing unstored segment this young is held. */
	private static final Duration YOUNG = Duration.ofMillis(300);

	private static final int PLAYLIST_TRIES = 2000;

	/** How many generated playlists had none, some or all of their segments held. */
	private static final Map<String, Integer> heldCounts = new ConcurrentHashMap<>();

	private final PlaylistRewriter boxes = new PlaylistRewriter(SegmentUrls.BOX, HOLD_BACK);

	@Test
	void shouldPointStoredSegmentsAtTheirBoxAndTheOthersAtTheOrigin() throws IOException {
		Map<LivePath, URI> replicas = Map.of(path("demo/7.ts"), box("demo/7.ts"), path("demo/8.ts"), box("demo/8.ts"));
		String rewritten = this.boxes.rewrite(playlist("media.m3u8"), DEMO, replicas, Map.of(path("demo/9.ts"), OLD));
		assertThat(rewritten).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-MEDIA-SEQUENCE:7
				#EXT-X-TARGETDURATION:2
				#EXT-X-DISCONTINUITY
				#EXTINF:2.000,
				http://203.0.113.7:7072/publisher-0c1d/live/demo/7.ts
				#EXTINF:2.000,
				http://203.0.113.7:7072/publisher-0c1d/live/demo/8.ts
				#EXTINF:1.960,
				/origin/demo/9.ts
				""");
	}

	@Test
	void shouldPointEverySegmentAtTheOriginWhenNoneIsStoredAndAllAreOld() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		String rewritten = this.boxes.rewrite(media, DEMO, Map.of(), agesOfAll(media, DEMO, OLD));
		assertThat(rewritten.lines().filter((line) -> !line.startsWith("#"))).containsExactly("/origin/demo/7.ts",
				"/origin/demo/8.ts", "/origin/demo/9.ts");
	}

	@Test
	void shouldPointVariantsAndRenditionsOfAMasterPlaylistAtLivePlaylists() throws IOException {
		HlsPlaylist master = playlist("master.m3u8");
		assertThat(master.isMaster()).isTrue();
		assertThat(PlaylistRewriter.mediaFiles(master, path("demo.m3u8"))).isEmpty();
		// Never held back: a master lists no segments
		assertThat(this.boxes.mayHoldBack(master)).isFalse();
		String rewritten = this.boxes.rewrite(master, path("demo.m3u8"), Map.of(), Map.of());
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
		String rewritten = this.boxes.rewrite(fmp4, DEMO, replicas, Map.of(path("demo/seg4.m4s"), OLD));
		assertThat(rewritten).contains("#EXT-X-MAP:URI=\"http://203.0.113.7:7072/publisher-0c1d/live/demo/init.mp4\"\n")
			.contains("\nhttp://203.0.113.7:7072/publisher-0c1d/live/demo/seg3.m4s\n")
			.contains("\n/origin/demo/seg4.m4s\n")
			.contains("#EXT-X-INDEPENDENT-SEGMENTS\n");
	}

	@Test
	void shouldReadCrlfLineEnds() throws IOException {
		String crlf = read("media.m3u8").replace("\n", "\r\n");
		HlsPlaylist playlist = HlsPlaylist.parse(crlf);
		assertThat(PlaylistRewriter.mediaFiles(playlist, DEMO)).containsExactly(path("demo/7.ts"), path("demo/8.ts"),
				path("demo/9.ts"));
		Map<LivePath, URI> replicas = Map.of(path("demo/9.ts"), box("demo/9.ts"));
		String rewritten = this.boxes.rewrite(playlist, DEMO, replicas, Map.of());
		assertThat(rewritten).doesNotContain("\r")
			.isEqualTo(this.boxes.rewrite(playlist("media.m3u8"), DEMO, replicas, Map.of()));
	}

	@Test
	void shouldTakeAbsoluteUrisByTheirFileNameBesideThePlaylist() throws IOException {
		HlsPlaylist playlist = playlist("absolute.m3u8");
		assertThat(PlaylistRewriter.mediaFiles(playlist, DEMO)).containsExactly(path("demo/3.ts"), path("demo/4.ts"));
		// The last URI names no file of ours, so nothing after it is held back
		String rewritten = this.boxes.rewrite(playlist, DEMO, Map.of(path("demo/4.ts"), box("demo/4.ts")),
				agesOfAll(playlist, DEMO, YOUNG));
		assertThat(rewritten.lines().filter((line) -> !line.startsWith("#"))).containsExactly("/origin/demo/3.ts",
				"http://203.0.113.7:7072/publisher-0c1d/live/demo/4.ts",
				// Names no file in the watch directory: kept as written
				"../../outside.ts");
	}

	@Test
	void shouldPointStoredSegmentsAtTheRedirectInRedirectMode() throws IOException {
		PlaylistRewriter redirects = new PlaylistRewriter(SegmentUrls.REDIRECT, Duration.ZERO);
		String rewritten = redirects.rewrite(playlist("media.m3u8"), DEMO, Map.of(path("demo/7.ts"), box("demo/7.ts")),
				agesOfAll(playlist("media.m3u8"), DEMO, YOUNG));
		assertThat(rewritten.lines().filter((line) -> !line.startsWith("#"))).containsExactly("/r/live/demo/7.ts",
				"/origin/demo/8.ts", "/origin/demo/9.ts");
	}

	@Test
	void shouldPointStoredSegmentsAtTheRedirectByTheirEncodedPublicNames() {
		HlsPlaylist playlist = HlsPlaylist.parse("#EXTM3U\n#EXTINF:1,\nseg%201.ts\n#EXT-X-ENDLIST\n");
		LivePath at = path("my stream/index.m3u8");
		PlaylistRewriter redirects = new PlaylistRewriter(SegmentUrls.REDIRECT, Duration.ZERO);
		assertThat(redirects.rewrite(playlist, at,
				Map.of(path("my stream/seg 1.ts"), URI.create("http://203.0.113.7:7072/seg1.ts")), Map.of()))
			.isEqualTo("#EXTM3U\n#EXTINF:1,\n/r/live/my%20stream/seg%201.ts\n#EXT-X-ENDLIST\n");
	}

	@Test
	void shouldEncodeNamesInTheUrlsItWrites() {
		HlsPlaylist playlist = HlsPlaylist.parse("#EXTM3U\n#EXTINF:1,\nseg%201.ts\n#EXTINF:1,\nseg 2.ts\n");
		LivePath at = path("my stream/index.m3u8");
		assertThat(PlaylistRewriter.mediaFiles(playlist, at)).containsExactly(path("my stream/seg 1.ts"),
				path("my stream/seg 2.ts"));
		assertThat(this.boxes.rewrite(playlist, at, Map.of(), agesOfAll(playlist, at, OLD))
			.lines()
			.filter((line) -> !line.startsWith("#")))
			.containsExactly("/origin/my%20stream/seg%201.ts", "/origin/my%20stream/seg%202.ts");
	}

	@Test
	void shouldHoldBackTheTrailingYoungSegmentsNoBoxStores() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		Map<LivePath, URI> replicas = Map.of(path("demo/7.ts"), box("demo/7.ts"));
		Map<LivePath, Duration> ages = Map.of(path("demo/8.ts"), YOUNG, path("demo/9.ts"), Duration.ZERO);
		assertThat(this.boxes.heldBack(media, DEMO, replicas, ages)).isEqualTo(2);
		assertThat(this.boxes.rewrite(media, DEMO, replicas, ages)).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-MEDIA-SEQUENCE:7
				#EXT-X-TARGETDURATION:2
				#EXT-X-DISCONTINUITY
				#EXTINF:2.000,
				http://203.0.113.7:7072/publisher-0c1d/live/demo/7.ts
				""");
	}

	@Test
	void shouldListAnUnstoredSegmentOlderThanTheHoldBackWithItsOriginUrl() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		Map<LivePath, URI> replicas = Map.of(path("demo/7.ts"), box("demo/7.ts"));
		// The newest is old: nothing is held, not even the young one before it
		assertThat(segmentUris(this.boxes.rewrite(media, DEMO, replicas,
				Map.of(path("demo/8.ts"), YOUNG, path("demo/9.ts"), HOLD_BACK))))
			.containsExactly(box("demo/7.ts").toString(), "/origin/demo/8.ts", "/origin/demo/9.ts");
		// An old one before the young newest one stays, with its origin URL
		assertThat(segmentUris(
				this.boxes.rewrite(media, DEMO, replicas, Map.of(path("demo/8.ts"), OLD, path("demo/9.ts"), YOUNG))))
			.containsExactly(box("demo/7.ts").toString(), "/origin/demo/8.ts");
	}

	@Test
	void shouldKeepAnUnstoredSegmentFollowedByAStoredOneWithItsOriginUrl() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		Map<LivePath, URI> replicas = Map.of(path("demo/7.ts"), box("demo/7.ts"), path("demo/9.ts"), box("demo/9.ts"));
		assertThat(segmentUris(this.boxes.rewrite(media, DEMO, replicas, Map.of(path("demo/8.ts"), YOUNG))))
			.containsExactly(box("demo/7.ts").toString(), "/origin/demo/8.ts", box("demo/9.ts").toString());
	}

	@Test
	void shouldNotHoldBackASegmentWhoseFileIsGone() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		// 9.ts has no age: deleted (or unreadable) since the playlist was read
		assertThat(segmentUris(this.boxes.rewrite(media, DEMO, Map.of(path("demo/7.ts"), box("demo/7.ts")), Map.of())))
			.containsExactly(box("demo/7.ts").toString(), "/origin/demo/8.ts", "/origin/demo/9.ts");
	}

	@Test
	void shouldNotHoldBackSegmentsOfAPlaylistThatHasEnded() throws IOException {
		HlsPlaylist ended = HlsPlaylist.parse(read("media.m3u8") + "#EXT-X-ENDLIST\n");
		assertThat(ended.isLive()).isFalse();
		String rewritten = this.boxes.rewrite(ended, DEMO, Map.of(), agesOfAll(ended, DEMO, YOUNG));
		assertThat(segmentUris(rewritten)).containsExactly("/origin/demo/7.ts", "/origin/demo/8.ts",
				"/origin/demo/9.ts");
		assertThat(rewritten).endsWith("/origin/demo/9.ts\n#EXT-X-ENDLIST\n");
	}

	@Test
	void shouldNotHoldBackWhenTheHoldBackIsZero() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		PlaylistRewriter off = new PlaylistRewriter(SegmentUrls.BOX, Duration.ZERO);
		assertThat(off.mayHoldBack(media)).isFalse();
		assertThat(segmentUris(off.rewrite(media, DEMO, Map.of(), agesOfAll(media, DEMO, Duration.ZERO))))
			.containsExactly("/origin/demo/7.ts", "/origin/demo/8.ts", "/origin/demo/9.ts");
	}

	@Test
	void shouldNotHoldBackSegmentsOfALowLatencyPlaylist() {
		HlsPlaylist lowLatency = HlsPlaylist.parse("""
				#EXTM3U
				#EXT-X-VERSION:9
				#EXT-X-TARGETDURATION:2
				#EXT-X-PART-INF:PART-TARGET=0.5
				#EXTINF:2.000,
				1.m4s
				#EXT-X-PART:DURATION=0.5,URI="2.0.m4s"
				#EXT-X-PRELOAD-HINT:TYPE=PART,URI="2.1.m4s"
				""");
		assertThat(lowLatency.hasParts()).isTrue();
		String rewritten = this.boxes.rewrite(lowLatency, DEMO, Map.of(), agesOfAll(lowLatency, DEMO, YOUNG));
		assertThat(rewritten).contains("\n/origin/demo/1.m4s\n", "URI=\"/origin/demo/2.0.m4s\"");
	}

	@Test
	void shouldHoldBackEverySegmentWhenNoneIsStoredAndAllAreYoung() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		// An empty live playlist: players reload it until a segment shows up, at the
		// latest when the oldest turns as old as the hold-back
		assertThat(this.boxes.rewrite(media, DEMO, Map.of(), agesOfAll(media, DEMO, YOUNG))).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-MEDIA-SEQUENCE:7
				#EXT-X-TARGETDURATION:2
				""");
	}

	@Test
	void shouldTakeASegmentDatedInTheFutureAsYoungOnlyWithinTheHoldBack() throws IOException {
		HlsPlaylist media = playlist("media.m3u8");
		Map<LivePath, URI> replicas = Map.of(path("demo/7.ts"), box("demo/7.ts"), path("demo/8.ts"), box("demo/8.ts"));
		assertThat(this.boxes.heldBack(media, DEMO, replicas, Map.of(path("demo/9.ts"), Duration.ofSeconds(-1))))
			.isOne();
		assertThat(this.boxes.heldBack(media, DEMO, replicas, Map.of(path("demo/9.ts"), Duration.ofHours(-1))))
			.isZero();
	}

	@Test
	void shouldRemoveTheLinesOfHeldSegmentsOnlyAndKeepTheOthersAsWritten() {
		String header = """
				#EXTM3U
				#EXT-X-VERSION:6
				#EXT-X-TARGETDURATION:2
				#EXT-X-MEDIA-SEQUENCE:41
				#EXT-X-DISCONTINUITY-SEQUENCE:3
				""";
		String kept = """
				#EXT-X-KEY:METHOD=NONE
				#EXT-X-PROGRAM-DATE-TIME:2026-11-25T17:25:00.000+00:00
				#EXTINF:2.000,
				41.ts
				#EXTINF:2.000,	a title
				#EXT-X-BYTERANGE:1000@0
				42.ts
				""";
		String held = """
				#EXT-X-DISCONTINUITY
				#EXT-X-MAP:URI="init2.mp4"
				#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x1
				#EXT-X-PROGRAM-DATE-TIME:2026-11-25T17:25:04.000+00:00
				#EXTINF:2.000,
				43.ts
				# a comment the encoder wrote

				#EXTINF:1.500,
				#EXT-X-BYTERANGE:5000@0
				44.ts
				""";
		HlsPlaylist playlist = HlsPlaylist.parse(header + kept + held);
		Map<LivePath, URI> replicas = Map.of(path("demo/41.ts"), URI.create("http://box/41.ts"), path("demo/42.ts"),
				URI.create("http://box/42.ts"));
		Map<LivePath, Duration> ages = Map.of(path("demo/init2.mp4"), YOUNG, path("demo/43.ts"), YOUNG,
				path("demo/44.ts"), YOUNG);
		assertThat(this.boxes.rewrite(playlist, DEMO, replicas, ages))
			.isEqualTo(header + kept.replace("41.ts", "http://box/41.ts").replace("42.ts", "http://box/42.ts"));
		// Holding only the last keeps the lines of 43 as written, its URIs rewritten
		assertThat(this.boxes.rewrite(playlist, DEMO, replicas, Map.of(path("demo/44.ts"), YOUNG)))
			.isEqualTo(header + kept.replace("41.ts", "http://box/41.ts").replace("42.ts", "http://box/42.ts") + """
					#EXT-X-DISCONTINUITY
					#EXT-X-MAP:URI="/origin/demo/init2.mp4"
					#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x1
					#EXT-X-PROGRAM-DATE-TIME:2026-11-25T17:25:04.000+00:00
					#EXTINF:2.000,
					/origin/demo/43.ts
					""");
	}

	@Test
	void shouldNotHoldBackByteRangesOfAFileOtherSegmentsShare() {
		// One growing file: its modification time is its last write, not a segment's end
		HlsPlaylist singleFile = HlsPlaylist.parse("""
				#EXTM3U
				#EXT-X-VERSION:4
				#EXT-X-TARGETDURATION:1
				#EXTINF:1,
				#EXT-X-BYTERANGE:1000@0
				all.ts
				#EXTINF:1,
				#EXT-X-BYTERANGE:1000@1000
				all.ts
				""");
		assertThat(this.boxes.heldBack(singleFile, DEMO, Map.of(), Map.of(path("demo/all.ts"), YOUNG))).isZero();
	}

	@Test
	void shouldKeepLinesAfterTheLastSegmentWhenHoldingItBack() {
		HlsPlaylist playlist = HlsPlaylist
			.parse("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n0.ts\n#EXTINF:1,\n1.ts\n# next: 2.ts\n");
		assertThat(this.boxes.rewrite(playlist, DEMO, Map.of(path("demo/0.ts"), URI.create("http://box/0.ts")),
				Map.of(path("demo/1.ts"), YOUNG)))
			.isEqualTo("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://box/0.ts\n# next: 2.ts\n");
	}

	/**
	 * Whatever is stored and however old the files are, the served playlist is the one
	 * served without hold-back cut after one of its segments (or after its header): only
	 * a trailing run of young unstored segments of a live playlist is left out, so the
	 * media and discontinuity sequences stay right.
	 */
	@ParameterizedTest
	@MethodSource("encoderPlaylists")
	void shouldServeThePlaylistWithoutHoldBackCutAfterASegment(EncoderPlaylist encoded) {
		HlsPlaylist playlist = HlsPlaylist.parse(encoded.text());
		Map<LivePath, URI> replicas = new HashMap<>();
		Map<LivePath, Duration> ages = new HashMap<>();
		for (int i = 0; i < encoded.segments().size(); i++) {
			EncodedSegment segment = encoded.segments().get(i);
			LivePath file = path("demo/" + encoded.name(i));
			if (segment.stored()) {
				replicas.put(file, box(file.toString()));
			}
			else if (segment.age() != null) {
				ages.put(file, segment.age());
			}
		}
		String served = this.boxes.rewrite(playlist, DEMO, replicas, ages);
		String unheld = new PlaylistRewriter(SegmentUrls.BOX, Duration.ZERO).rewrite(playlist, DEMO, replicas, ages);

		int expectedHeld = 0;
		for (int i = encoded.segments().size() - 1; i >= 0 && !encoded.ended(); i--) {
			EncodedSegment segment = encoded.segments().get(i);
			boolean young = segment.age() != null && segment.age().abs().compareTo(HOLD_BACK) < 0;
			if (segment.stored() || !young) {
				break;
			}
			expectedHeld++;
		}
		heldCounts.merge((expectedHeld == 0) ? "none" : (expectedHeld == encoded.segments().size()) ? "all" : "some", 1,
				Integer::sum);
		assertThat(this.boxes.heldBack(playlist, DEMO, replicas, ages)).isEqualTo(expectedHeld);
		assertThat(unheld).startsWith(served);
		List<String> servedUris = segmentUris(served);
		assertThat(servedUris).isEqualTo(segmentUris(unheld).subList(0, encoded.segments().size() - expectedHeld));
		if (expectedHeld == 0) {
			assertThat(served).isEqualTo(unheld);
		}
		else if (servedUris.isEmpty()) {
			assertThat(served).isEqualTo(encoded.header());
		}
		else {
			assertThat(served).startsWith(encoded.header())
				.endsWith("\n" + servedUris.get(servedUris.size() - 1) + "\n");
		}
	}

	@BeforeAll
	static void clearHeldCounts() {
		heldCounts.clear();
	}

	@AfterAll
	static void shouldHaveHeldNoneSomeAndAllSegments() {
		// Only a full run says anything about the generator (not one case re-run alone)
		if (heldCounts.values().stream().mapToInt(Integer::intValue).sum() == PLAYLIST_TRIES) {
			assertThat(heldCounts).containsOnlyKeys("none", "some", "all");
		}
	}

	static Stream<Arguments> encoderPlaylists() {
		// Edge cases: one young unstored segment, the longest playlist all held, an
		// ended one, segments gone, ages right at the hold-back
		EncodedSegment young = new EncodedSegment(false, YOUNG, 15);
		List<Arguments> edges = List.of(arguments(new EncoderPlaylist(List.of(young), 0, false)),
				arguments(new EncoderPlaylist(Collections.nCopies(8, young), 1000, false)),
				arguments(new EncoderPlaylist(List.of(young, young), 7, true)),
				arguments(new EncoderPlaylist(
						List.of(new EncodedSegment(true, null, 0), new EncodedSegment(false, null, 0)), 7, false)),
				arguments(new EncoderPlaylist(List.of(new EncodedSegment(false, HOLD_BACK, 1),
						new EncodedSegment(false, HOLD_BACK.minusMillis(1), 2),
						new EncodedSegment(false, HOLD_BACK.negated(), 4)), 7, false)));
		return SeededCases.of(0x913aL, PLAYLIST_TRIES, edges,
				(gen) -> arguments(new EncoderPlaylist(gen.listOf(1, 8, PlaylistRewriterTests::encodedSegment),
						gen.intBetween(0, 1000), gen.chance(0.25))));
	}

	private static EncodedSegment encodedSegment(Gen gen) {
		Duration age = gen.chance(0.1) ? null : gen.oneOf(Duration.ofHours(-1), HOLD_BACK.negated(),
				Duration.ofMillis(-100), Duration.ZERO, YOUNG, HOLD_BACK.minusMillis(1), HOLD_BACK, OLD);
		// Stored a third of the time
		return new EncodedSegment(gen.chance(1.0 / 3), age, gen.intBetween(0, 15));
	}

	private static Map<LivePath, Duration> agesOfAll(HlsPlaylist playlist, LivePath at, Duration age) {
		Map<LivePath, Duration> ages = new HashMap<>();
		PlaylistRewriter.mediaFiles(playlist, at).forEach((file) -> ages.put(file, age));
		return ages;
	}

	private static List<String> segmentUris(String playlist) {
		return playlist.lines().filter((line) -> !line.startsWith("#") && !line.isBlank()).toList();
	}

	private static LivePath path(String text) {
		return LivePath.parse(text).orElseThrow();
	}

	private static URI box(String path) {
		return URI.create("http://203.0.113.7:7072/publisher-0c1d/live/" + path);
	}

	private static HlsPlaylist playlist(String name) throws IOException {
		return HlsPlaylist.parse(read(name));
	}

	private static String read(String name) throws IOException {
		try (InputStream in = PlaylistRewriterTests.class.getResourceAsStream("/live/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/**
	 * A segment of a generated playlist: stored by a box or not, how old its file is
	 * (null: gone), and which optional tags it has (bits: discontinuity, date-time, byte
	 * range, key).
	 */
	record EncodedSegment(boolean stored, Duration age, int tags) {

	}

	/**
	 * A media playlist as an encoder may write it, with a header and its segments.
	 */
	record EncoderPlaylist(List<EncodedSegment> segments, int mediaSequence, boolean ended) {

		String header() {
			return "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:" + this.mediaSequence
					+ "\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n";
		}

		/** The file name of the segment at an index, after its media sequence number. */
		String name(int index) {
			return "s" + (this.mediaSequence + index) + ".ts";
		}

		String text() {
			StringBuilder text = new StringBuilder(header());
			for (int i = 0; i < this.segments.size(); i++) {
				EncodedSegment segment = this.segments.get(i);
				if ((segment.tags() & 1) != 0) {
					text.append("#EXT-X-DISCONTINUITY\n");
				}
				if ((segment.tags() & 2) != 0) {
					text.append("#EXT-X-PROGRAM-DATE-TIME:2026-11-25T17:25:").append(10 + i).append(".000Z\n");
				}
				if ((segment.tags() & 8) != 0) {
					text.append("#EXT-X-KEY:METHOD=NONE\n");
				}
				text.append("#EXTINF:2.000,\n");
				if ((segment.tags() & 4) != 0) {
					text.append("#EXT-X-BYTERANGE:188@0\n");
				}
				text.append(name(i)).append('\n');
			}
			return this.ended ? text.append("#EXT-X-ENDLIST\n").toString() : text.toString();
		}

	}

}
