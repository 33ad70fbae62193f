package io.dandelion.network.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's demo stream without ffmpeg: {@code ./dandelion replay-clip} plays the
 * committed clip as a live stream, as an encoder would write it, sped up here so that the
 * clip wraps around within the test.
 */
class ClipReplayTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Path CLIP = ROOT.resolve("demo/clip");

	private static final Pattern SEGMENT = Pattern.compile("seg(\\d+)\\.ts");

	@TempDir
	Path out;

	@Test
	void shouldPlayTheClipAsALiveStreamThatWrapsAround() throws Exception {
		List<String> clipSegments = Files.readAllLines(CLIP.resolve("clip.m3u8"))
			.stream()
			.filter((line) -> line.endsWith(".ts"))
			.toList();
		assertThat(clipSegments).hasSize(6);
		ProcessBuilder replayBuilder = new ProcessBuilder("bash", ROOT.resolve("dandelion").toString(), "replay-clip",
				CLIP.toString(), this.out.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		replayBuilder.environment().put("DANDELION_REPLAY_SECONDS", "0.2");
		Process replay = replayBuilder.start();
		try {
			String playlist = awaitWrappedPlaylist(Instant.now().plus(Duration.ofSeconds(20)));
			assertThat(playlist).startsWith("#EXTM3U\n").contains("#EXT-X-TARGETDURATION:2\n");
			List<String> listed = playlist.lines().filter((line) -> line.endsWith(".ts")).toList();
			assertThat(listed).hasSizeBetween(1, 6);
			int compared = 0;
			for (String name : listed) {
				Matcher number = SEGMENT.matcher(name);
				assertThat(number.matches()).as(name).isTrue();
				String source = clipSegments.get(Integer.parseInt(number.group(1)) % clipSegments.size());
				if (Files.exists(this.out.resolve(name))) {
					assertThat(Files.readAllBytes(this.out.resolve(name))).as(name)
						.isEqualTo(Files.readAllBytes(CLIP.resolve(source)));
					compared++;
				}
			}
			// Segments leave the window while we read; most of the ones listed are still
			// there
			assertThat(compared).isPositive();
			// The window slides: older segments are deleted, never more than six plus one
			// being written
			try (var files = Files.list(this.out)) {
				assertThat(files.filter((file) -> file.toString().endsWith(".ts")).count()).isLessThanOrEqualTo(8);
			}
		}
		finally {
			replay.descendants().forEach(ProcessHandle::destroyForcibly);
			replay.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * Waits until the playlist has moved past the clip's end: a discontinuity and a
	 * sliding window.
	 */
	private String awaitWrappedPlaylist(Instant giveUp) throws IOException, InterruptedException {
		Path index = this.out.resolve("index.m3u8");
		while (Instant.now().isBefore(giveUp)) {
			if (Files.exists(index)) {
				String playlist = Files.readString(index);
				if (playlist.contains("#EXT-X-DISCONTINUITY\n") && !playlist.contains("#EXT-X-MEDIA-SEQUENCE:0\n")) {
					return playlist;
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError(
				"The replay never wrapped around: " + (Files.exists(index) ? Files.readString(index) : "no playlist"));
	}

}
