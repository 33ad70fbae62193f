package io.dandelion.support.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A committed VOD clip played as a never-ending live stream, as an encoder writes one:
 * segments {@code seg0.ts}, {@code seg1.ts}, ... one every pause, a sliding window of six
 * in {@code index.m3u8}, a discontinuity where the clip starts again. Every file appears
 * whole (written aside, then renamed), as the publisher's segment watcher expects.
 */
final class ClipReplay {

	static final int WINDOW = 6;

	private final Path clip;

	private final List<String> segments;

	private ClipReplay(Path clip, List<String> segments) {
		this.clip = clip;
		this.segments = segments;
	}

	static ClipReplay of(Path clip) throws IOException {
		Path playlist = clip.resolve("clip.m3u8");
		if (!Files.isRegularFile(playlist)) {
			throw new LaunchException("replay-clip: no " + playlist);
		}
		List<String> segments = Files.readAllLines(playlist)
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		if (segments.isEmpty()) {
			throw new LaunchException("replay-clip: no segments in " + playlist);
		}
		return new ClipReplay(clip, segments);
	}

	/**
	 * Plays until interrupted or killed.
	 * @param out where the live stream goes
	 * @param pause the time between two segments
	 * @throws IOException when a file cannot be written
	 * @throws InterruptedException when interrupted
	 */
	void play(Path out, Duration pause) throws IOException, InterruptedException {
		Files.createDirectories(out);
		Window window = new Window();
		for (long n = 0;; n++) {
			String name = "seg" + n + ".ts";
			copyWhole(this.clip.resolve(this.segments.get((int) (n % this.segments.size()))), out.resolve(name));
			String gone = window.add(name, n > 0 && n % this.segments.size() == 0);
			if (gone != null) {
				Files.deleteIfExists(out.resolve(gone));
			}
			writeWhole(out.resolve("index.m3u8"), window.playlist());
			Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
		}
	}

	private static void copyWhole(Path from, Path to) throws IOException {
		Path aside = to.resolveSibling("." + to.getFileName() + ".tmp");
		Files.copy(from, aside, StandardCopyOption.REPLACE_EXISTING);
		Files.move(aside, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static void writeWhole(Path to, String text) throws IOException {
		Path aside = to.resolveSibling("." + to.getFileName() + ".tmp");
		Files.writeString(aside, text);
		Files.move(aside, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** The live playlist's sliding window and its sequence numbers. */
	static final class Window {

		private final Deque<String> names = new ArrayDeque<>();

		private final Deque<Boolean> breaks = new ArrayDeque<>();

		private long sequence;

		private long discontinuities;

		/**
		 * Adds a segment.
		 * @param name the segment's file name
		 * @param discontinuity whether the clip starts again with it
		 * @return the segment that left the window, or {@code null}
		 */
		String add(String name, boolean discontinuity) {
			this.names.addLast(name);
			this.breaks.addLast(discontinuity);
			if (this.names.size() <= WINDOW) {
				return null;
			}
			if (this.breaks.removeFirst()) {
				this.discontinuities++;
			}
			this.sequence++;
			return this.names.removeFirst();
		}

		String playlist() {
			StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n");
			text.append("#EXT-X-MEDIA-SEQUENCE:").append(this.sequence).append('\n');
			text.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(this.discontinuities).append('\n');
			var breaks = this.breaks.iterator();
			for (String name : this.names) {
				if (breaks.next()) {
					text.append("#EXT-X-DISCONTINUITY\n");
				}
				text.append("#EXTINF:2.000000,\n").append(name).append('\n');
			}
			return text.toString();
		}

	}

}
