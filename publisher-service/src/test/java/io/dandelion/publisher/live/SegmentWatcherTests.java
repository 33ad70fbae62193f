package io.dandelion.publisher.live;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.dandelion.publisher.config.LiveProperties.SegmentUrls;
import io.dandelion.publisher.config.LiveProperties;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.background.BackgroundJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SegmentWatcher} on a real directory, run by {@link BackgroundJobs} as in the
 * application: each finished segment is published once, a growing one never, and new
 * stream directories are picked up.
 */
class SegmentWatcherTests {

	private static final Duration RESCAN = Duration.ofMillis(300);

	private static final Duration TTL = Duration.ofSeconds(42);

	private static final Duration HOLD_BACK = Duration.ofSeconds(4);

	@TempDir
	Path watchDir;

	private final RecordingPublisher publisher = new RecordingPublisher();

	/** Runs the watcher as the application does. */
	private BackgroundJobs jobs;

	@AfterEach
	void stopWatcher() {
		if (this.jobs != null) {
			this.jobs.stop();
		}
	}

	@Test
	void shouldPublishASegmentOnceThePlaylistListsItAndNeverWhileItGrows() throws IOException {
		Path stream = Files.createDirectories(this.watchDir.resolve("demo"));
		writePlaylist(stream.resolve("index.m3u8"));
		start();
		Path segment = stream.resolve("0.ts");
		try (OutputStream out = Files.newOutputStream(segment)) {
			for (int chunk = 0; chunk < 4; chunk++) {
				out.write(new byte[188 * 100]);
				out.flush();
				// Longer than a full rescan: nothing may be published while it grows
				await().during(RESCAN.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(this.publisher::isEmpty);
			}
		}
		// Closed but not listed yet: still not finished for us
		await().during(RESCAN.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(this.publisher::isEmpty);
		writePlaylist(stream.resolve("index.m3u8"), "0.ts");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.publisher.files().equals(List.of(segment)));
		assertThat(this.publisher.ttls).containsOnly(TTL);
		assertThat(Files.size(segment)).isEqualTo(188 * 400);

		Files.write(stream.resolve("1.ts"), new byte[188]);
		writePlaylist(stream.resolve("index.m3u8"), "0.ts", "1.ts");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.publisher.files().size() == 2);
		// The playlist rewritten again and several full scans: still once each
		writePlaylist(stream.resolve("index.m3u8"), "0.ts", "1.ts");
		await().during(RESCAN.multipliedBy(3))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.publisher.files().equals(List.of(segment, stream.resolve("1.ts"))));
		// Named by their paths in the watch directory, which itself is no part of it
		assertThat(this.publisher.names).containsExactly("/live/demo/0.ts", "/live/demo/1.ts");
	}

	@Test
	void shouldPickUpANewStreamDirectory() throws IOException {
		start();
		await().during(RESCAN).atMost(Duration.ofSeconds(5)).until(this.publisher::isEmpty);
		// As an encoder does: the stream's directory, a segment, then the playlist naming
		// it
		Path stream = Files.createDirectories(this.watchDir.resolve("late"));
		Files.write(stream.resolve("seg000.ts"), new byte[188]);
		writePlaylist(stream.resolve("index.m3u8"), "seg000.ts");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.publisher.files().equals(List.of(stream.resolve("seg000.ts"))));
	}

	@Test
	void shouldPublishTheInitialisationSegmentAndFragmentsOfFragmentedMp4() throws IOException {
		Path stream = Files.createDirectories(this.watchDir.resolve("cmaf"));
		start();
		Files.write(stream.resolve("init.mp4"), new byte[64]);
		Files.write(stream.resolve("seg1.m4s"), new byte[64]);
		writeFile(stream.resolve("index.m3u8"),
				"#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1.0,\nseg1.m4s\n");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.publisher.files()
				.equals(List.of(stream.resolve("init.mp4"), stream.resolve("seg1.m4s"))));
	}

	@Test
	void shouldIgnoreMasterPlaylistsAndPublishTheVariantsSegments() throws IOException {
		Path variant = Files.createDirectories(this.watchDir.resolve("demo_hi"));
		writeFile(this.watchDir.resolve("demo.m3u8"),
				"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2500000\ndemo_hi/index.m3u8\n");
		Files.write(variant.resolve("5.ts"), new byte[188]);
		writePlaylist(variant.resolve("index.m3u8"), "5.ts");
		start();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.publisher.files().equals(List.of(variant.resolve("5.ts"))));
		assertThat(this.publisher.names).containsExactly("/live/demo_hi/5.ts");
	}

	@Test
	void shouldOfferASegmentAgainWhenQueueingItFailed() throws IOException {
		this.publisher.failures.set(1);
		Path stream = Files.createDirectories(this.watchDir.resolve("demo"));
		Files.write(stream.resolve("0.ts"), new byte[188]);
		writePlaylist(stream.resolve("index.m3u8"), "0.ts");
		start();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.publisher.files().equals(List.of(stream.resolve("0.ts"))));
		assertThat(this.publisher.failures).hasValue(0);
	}

	@Test
	void shouldStopWatchingWhenStopped() throws IOException {
		Path stream = Files.createDirectories(this.watchDir.resolve("demo"));
		start();
		assertThat(this.jobs.isRunning()).isTrue();
		this.jobs.stop();
		assertThat(this.jobs.isRunning()).isFalse();
		Files.write(stream.resolve("0.ts"), new byte[188]);
		writePlaylist(stream.resolve("index.m3u8"), "0.ts");
		await().during(RESCAN.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(this.publisher::isEmpty);
	}

	@Test
	void shouldStartWithoutWatchDirectoriesOrPublisher() {
		SegmentWatcher off = new SegmentWatcher(new LiveProperties(List.of(), TTL, SegmentUrls.BOX, HOLD_BACK, RESCAN),
				new StaticListableBeanFactory().getBeanProvider(SegmentPublisher.class));
		// Done at once, without asking for a publisher there is none of
		off.run().as(StepVerifier::create).verifyComplete();
		BackgroundJobs jobs = new BackgroundJobs(
				new StaticListableBeanFactory(Map.of("watcher", off)).getBeanProvider(BackgroundJob.class));
		jobs.start();
		assertThat(jobs.isRunning()).isTrue();
		jobs.stop();
		assertThat(jobs.isRunning()).isFalse();
	}

	private void start() {
		SegmentWatcher watcher = new SegmentWatcher(
				new LiveProperties(List.of(this.watchDir), TTL, SegmentUrls.BOX, HOLD_BACK, RESCAN),
				new StaticListableBeanFactory(Map.of("publisher", this.publisher))
					.getBeanProvider(SegmentPublisher.class));
		this.jobs = new BackgroundJobs(
				new StaticListableBeanFactory(Map.of("watcher", watcher)).getBeanProvider(BackgroundJob.class));
		this.jobs.start();
	}

	/**
	 * Writes a media playlist as encoders do: a temporary file renamed over the old one.
	 */
	private static void writePlaylist(Path playlist, String... segments) throws IOException {
		StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n");
		for (String segment : segments) {
			text.append("#EXTINF:1.000,\n").append(segment).append('\n');
		}
		writeFile(playlist, text.toString());
	}

	private static void writeFile(Path file, String text) throws IOException {
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(temporary, text, StandardCharsets.UTF_8);
		Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/** A {@link SegmentPublisher} that records what it is given, failing on request. */
	static final class RecordingPublisher implements SegmentPublisher {

		final List<Path> published = new CopyOnWriteArrayList<>();

		final List<String> names = new CopyOnWriteArrayList<>();

		final List<Duration> ttls = new CopyOnWriteArrayList<>();

		final AtomicInteger failures = new AtomicInteger();

		@Override
		public Mono<Void> publish(String name, Path file, Duration ttl) {
			return Mono.defer(() -> {
				if (this.failures.getAndUpdate((left) -> Math.max(left - 1, 0)) > 0) {
					return Mono.error(new IllegalStateException("queue unavailable"));
				}
				this.published.add(file);
				this.names.add(name);
				this.ttls.add(ttl);
				return Mono.empty();
			});
		}

		List<Path> files() {
			return List.copyOf(this.published);
		}

		boolean isEmpty() {
			return this.published.isEmpty();
		}

	}

}
