package io.dandelion.publisher.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.dandelion.publisher.config.LiveProperties;
import io.dandelion.publisher.live.SegmentScanner.Segment;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.background.BackgroundJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Publishes every finished segment of the streams in the watch directories, once, through
 * {@link SegmentPublisher} with the HLS TTL, under its public name {@code /live/{path in
 * the watch directory}}. Event-driven: a {@link WatchService} reports created directories
 * (new streams) and created, changed or renamed playlists, and only the directory
 * concerned is scanned ({@link SegmentScanner}); every {@code rescan-period} a full scan
 * registers missed directories and catches lost events.
 * <p>
 * The blocking {@code WatchService} runs on a single thread of its own, made for each run
 * and disposed with it; {@link BackgroundJobs} runs the watcher while the application
 * runs, and starts it again after a second should it fail.
 */
@Component
class SegmentWatcher implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(SegmentWatcher.class);

	/**
	 * Watch directory, stream, variant sub-directory: deeper trees are not HLS layouts.
	 */
	private static final int MAX_DEPTH = 3;

	private final LiveProperties properties;

	private final ObjectProvider<SegmentPublisher> publisher;

	private final SegmentScanner scanner = new SegmentScanner();

	SegmentWatcher(LiveProperties properties, ObjectProvider<SegmentPublisher> publisher) {
		this.properties = properties;
		this.publisher = publisher;
	}

	@Override
	public String name() {
		return "live HLS watcher";
	}

	@Override
	public String description() {
		return this.properties.watchDirs().isEmpty() ? name() + " (off)"
				: name() + " on " + this.properties.watchDirs();
	}

	/**
	 * Watches until cancelled, on a thread of its own that lives as long as the run.
	 * @return the run; completes at once without watch directories
	 */
	@Override
	public Flux<?> run() {
		if (this.properties.watchDirs().isEmpty()) {
			logger.info("Live HLS off: no watch directory (PUBLISHER_WATCH_DIRS)");
			return Flux.empty();
		}
		this.properties.watchDirs()
			.stream()
			.filter((dir) -> !Files.isDirectory(dir))
			.forEach((dir) -> logger.warn("Watch directory {} does not exist (yet); looking again every {}", dir,
					this.properties.rescanPeriod()));
		// With watch directories, the publishing side must be there
		SegmentPublisher segmentPublisher = this.publisher.getObject();
		Duration ttl = this.properties.hlsSegmentTtl();
		logger.info("Live HLS: watching {} (segment TTL {}, segment URLs {}, hold-back {})",
				this.properties.watchDirs(), ttl, this.properties.segmentUrls(), this.properties.holdBack());
		// Requests must not be queued behind the watch loop, which holds the scheduler's
		// only thread for good: with requestOnSeparateThread the publisher's request for
		// the next segment would never run.
		return Flux.using(() -> Schedulers.newSingle("live-watcher", true),
				(scheduler) -> finishedSegments().subscribeOn(scheduler, false)
					.concatMap((segment) -> publish(segmentPublisher, segment, ttl)),
				Scheduler::dispose);
	}

	private Mono<Void> publish(SegmentPublisher segmentPublisher, Segment segment, Duration ttl) {
		String name;
		try {
			name = segment.path().publicName();
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Segment {} has no public name, not published: {}", segment.file(), ex.getMessage());
			return Mono.empty();
		}
		return segmentPublisher.publish(name, segment.file(), ttl)
			.doOnSuccess((done) -> logger.debug("Queued segment {} as {} (TTL {})", segment.file(), name, ttl))
			.onErrorResume((ex) -> {
				// Offered again by the next scan
				logger.warn("Could not queue segment {}, retrying: {}", segment.file(), ex.toString());
				this.scanner.forget(segment.file());
				return Mono.empty();
			});
	}

	/**
	 * The finished segments, as they appear. Subscribing blocks the subscribing thread on
	 * the watch service until the subscription is disposed.
	 */
	private Flux<Segment> finishedSegments() {
		return Flux.<Segment>create((sink) -> {
			try (WatchService watchService = FileSystems.getDefault().newWatchService()) {
				sink.onDispose(() -> close(watchService));
				new WatchLoop(watchService, sink).run();
				sink.complete();
			}
			catch (ClosedWatchServiceException ex) {
				// Closed by the disposal: the run was cancelled
				sink.complete();
			}
			catch (InterruptedException ex) {
				// The scheduler disposed with the run
				Thread.currentThread().interrupt();
				sink.complete();
			}
			catch (IOException | RuntimeException ex) {
				sink.error(ex);
			}
		});
	}

	private static void close(WatchService watchService) {
		try {
			watchService.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the watch service failed", ex);
		}
	}

	/**
	 * The state of one subscription: the registered directories and the time of the next
	 * full scan. Used by the watch thread only.
	 */
	private final class WatchLoop {

		private final WatchService watchService;

		private final FluxSink<Segment> sink;

		private final Map<WatchKey, Path> directories = new HashMap<>();

		WatchLoop(WatchService watchService, FluxSink<Segment> sink) {
			this.watchService = watchService;
			this.sink = sink;
		}

		void run() throws InterruptedException {
			long period = SegmentWatcher.this.properties.rescanPeriod().toNanos();
			long nextRescan = System.nanoTime();
			while (!this.sink.isCancelled()) {
				long wait = nextRescan - System.nanoTime();
				WatchKey key = (wait > 0) ? this.watchService.poll(wait, TimeUnit.NANOSECONDS) : null;
				if (key != null) {
					handle(key);
				}
				else if (System.nanoTime() - nextRescan >= 0) {
					rescan();
					nextRescan = System.nanoTime() + period;
				}
			}
		}

		private void handle(WatchKey key) {
			Path dir = this.directories.get(key);
			Set<Path> changed = new LinkedHashSet<>();
			boolean overflow = false;
			for (WatchEvent<?> event : key.pollEvents()) {
				if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
					overflow = true;
				}
				else if (dir != null && event.context() instanceof Path name) {
					Path child = dir.resolve(name);
					if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)) {
						// A new stream: register it first, then scan what it already
						// holds
						changed.addAll(register(child));
					}
					else if (name.toString().endsWith(".m3u8")) {
						changed.add(dir);
					}
				}
			}
			if (!key.reset()) {
				this.directories.remove(key);
			}
			if (overflow) {
				rescan();
				return;
			}
			for (Path changedDir : changed) {
				Path watchDir = watchDirOf(changedDir);
				if (watchDir != null) {
					emit(SegmentWatcher.this.scanner.scan(watchDir, changedDir, new HashSet<>()));
				}
			}
		}

		/**
		 * Registers missed directories, scans every playlist and forgets unlisted
		 * segments.
		 */
		private void rescan() {
			Set<Path> listed = new HashSet<>();
			for (Path watchDir : SegmentWatcher.this.properties.watchDirs()) {
				for (Path dir : register(watchDir)) {
					emit(SegmentWatcher.this.scanner.scan(watchDir, dir, listed));
				}
			}
			SegmentWatcher.this.scanner.retainListed(listed);
		}

		/** Registers a directory and its sub-directories; returns all of them. */
		private List<Path> register(Path top) {
			Path watchDir = watchDirOf(top);
			if (watchDir == null || !Files.isDirectory(top)) {
				return List.of();
			}
			int depth = MAX_DEPTH - watchDir.relativize(top).getNameCount();
			try (Stream<Path> tree = Files.walk(top, Math.max(depth, 0))) {
				List<Path> dirs = tree.filter(Files::isDirectory).toList();
				for (Path dir : dirs) {
					WatchKey key = dir.register(this.watchService, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY);
					if (this.directories.put(key, dir) == null) {
						logger.debug("Watching {}", dir);
					}
				}
				return dirs;
			}
			catch (IOException | UncheckedIOException ex) {
				// Gone meanwhile, or not readable: the next full scan tries again
				logger.debug("Cannot watch {}: {}", top, ex.toString());
				return List.of();
			}
		}

		private Path watchDirOf(Path dir) {
			for (Path watchDir : SegmentWatcher.this.properties.watchDirs()) {
				if (dir.startsWith(watchDir)) {
					return watchDir;
				}
			}
			return null;
		}

		private void emit(List<Segment> segments) {
			segments.forEach(this.sink::next);
		}

	}

}
