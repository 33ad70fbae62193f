package io.dandelion.publisher.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HLS stream for tests: 16 s of ffmpeg's test pattern and a 440 Hz tone, H.264 +
 * AAC in 1 s MPEG-TS segments, written by {@code /usr/bin/ffmpeg} (or {@code ffmpeg} on
 * {@code PATH}) into a directory.
 *
 * @param directory where {@code index.m3u8} and the segments are
 * @param playlist the playlist as ffmpeg wrote it
 * @param segments the segments' file names, in playlist order
 */
public record TestHlsStream(Path directory, String playlist, List<String> segments) {

	static final Duration DURATION = Duration.ofSeconds(16);

	private static final Duration FFMPEG_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Runs ffmpeg.
	 * @param directory where it writes the stream, existing
	 * @return the stream
	 * @throws IOException when ffmpeg cannot be run or its playlist read
	 * @throws InterruptedException when interrupted while waiting for it
	 */
	public static TestHlsStream generate(Path directory) throws IOException, InterruptedException {
		Path log = directory.resolve("ffmpeg.log");
		Process ffmpeg = new ProcessBuilder(ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
				"testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440", "-t",
				String.valueOf(DURATION.toSeconds()), "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a",
				"aac", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_playlist_type", "vod",
				"-hls_segment_filename", directory.resolve("seg%03d.ts").toString(),
				directory.resolve("index.m3u8").toString())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!ffmpeg.waitFor(FFMPEG_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			ffmpeg.destroyForcibly();
			throw new IllegalStateException("ffmpeg did not finish within " + FFMPEG_TIMEOUT);
		}
		if (ffmpeg.exitValue() != 0) {
			throw new IllegalStateException(
					"ffmpeg failed with exit code " + ffmpeg.exitValue() + ": " + Files.readString(log));
		}
		String playlist = Files.readString(directory.resolve("index.m3u8"), StandardCharsets.UTF_8);
		List<String> segments = new ArrayList<>();
		playlist.lines().filter(TestHlsStream::isUri).forEach(segments::add);
		return new TestHlsStream(directory, playlist, List.copyOf(segments));
	}

	/** Whether a playlist line is a URI (a segment) rather than a tag or blank. */
	static boolean isUri(String line) {
		return !line.isBlank() && !line.startsWith("#");
	}

	/**
	 * A segment's size.
	 * @param segment its file name
	 * @return its size in bytes
	 */
	public long size(String segment) {
		try {
			return Files.size(this.directory.resolve(segment));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A segment's bytes.
	 * @param segment its file name
	 * @return its content
	 */
	public byte[] read(String segment) {
		if (!this.segments.contains(segment)) {
			throw new IllegalArgumentException("No such segment: " + segment);
		}
		try {
			return Files.readAllBytes(this.directory.resolve(segment));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String ffmpeg() {
		return Files.isExecutable(Path.of("/usr/bin/ffmpeg")) ? "/usr/bin/ffmpeg" : "ffmpeg";
	}

}
