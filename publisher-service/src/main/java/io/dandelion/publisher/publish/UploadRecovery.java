package io.dandelion.publisher.publish;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.protocol.store.StoragePaths;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.background.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Rebuilds what the publisher knows of its uploads from its own disk. At start-up it
 * deletes the temporary {@code .dandelion-tmp….part} files of uploads cut short (the
 * publisher killed mid-upload). Then, at start-up and every
 * {@code publisher.publish.upload-recovery-period}, it queues again each upload that
 * Redis no longer knows (restarted without persistence, or flushed, which would leave its
 * name answering 404), or that is stored on no box any more, and that has not expired,
 * with the TTL it has left, read from the sidecar written beside it
 * ({@link ExpirySidecar}). An upload without a sidecar (stored by an earlier version) has
 * no known TTL and is left alone.
 */
@Component
class UploadRecovery implements BackgroundJob, InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(UploadRecovery.class);

	private static final String PART_SUFFIX = ".part";

	private final PublisherProperties properties;

	private final PublicNames names;

	private final FileRepository files;

	private final FileIntake intake;

	private final Clock clock;

	private final BackgroundJob periodic;

	UploadRecovery(PublisherProperties properties, PublicNames names, FileRepository files, FileIntake intake,
			Clock clock) {
		this.properties = properties;
		this.names = names;
		this.files = files;
		this.intake = intake;
		this.clock = clock;
		this.periodic = BackgroundJob.every(name(), properties.publish().uploadRecoveryPeriod(), this::recover);
	}

	@Override
	public String name() {
		return "upload recovery";
	}

	@Override
	public Flux<?> run() {
		return this.periodic.run();
	}

	/**
	 * Deletes the temporary files of uploads cut short, before any upload starts.
	 */
	@Override
	public void afterPropertiesSet() throws IOException {
		Path staging = this.properties.uploadsRoot();
		if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		int deleted = 0;
		try (DirectoryStream<Path> parts = Files.newDirectoryStream(staging, (entry) -> {
			String name = entry.getFileName().toString();
			return name.startsWith(StoragePaths.TEMP_FILE_PREFIX) && name.endsWith(PART_SUFFIX);
		})) {
			for (Path part : parts) {
				if (Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(part)) {
					deleted++;
				}
			}
		}
		if (deleted > 0) {
			logger.info("Deleted {} temporary files of uploads cut short from {}", deleted, staging);
		}
	}

	/**
	 * Queues again the uploads Redis no longer knows.
	 * @return how many were queued
	 */
	Mono<Integer> recover() {
		Instant now = this.clock.instant();
		AtomicInteger queued = new AtomicInteger();
		AtomicInteger untimed = new AtomicInteger();
		return Mono.fromCallable(this::uploads)
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapMany(Flux::fromIterable)
			.concatMap((upload) -> recover(upload, now, queued, untimed))
			.then(Mono.fromSupplier(() -> {
				if (queued.get() > 0 || untimed.get() > 0) {
					logger.info(
							"Queued {} uploads again that were unknown (their state lost with Redis) or stored on "
									+ "no box; {} such uploads without a TTL record beside them left alone",
							queued.get(), untimed.get());
				}
				return queued.get();
			}));
	}

	private Mono<Void> recover(Upload upload, Instant now, AtomicInteger queued, AtomicInteger untimed) {
		if (upload.expiry().isEmpty()) {
			return lost(upload.name()).filter(Boolean::booleanValue)
				.doOnNext((lost) -> untimed.incrementAndGet())
				.then();
		}
		FileExpiry expiry = upload.expiry().get();
		if (expiry.passed(now)) {
			return Mono.empty();
		}
		// What is left of its TTL, rounded up; 0 keeps it forever
		Duration ttl = expiry.never() ? Duration.ZERO
				: Duration.ofSeconds((Duration.between(now, expiry.at()).toMillis() + 999) / 1000);
		return lost(upload.name()).filter(Boolean::booleanValue)
			.flatMap((lost) -> this.intake.queueOwn(upload.name(), upload.file(), ttl))
			.doOnNext((name) -> queued.incrementAndGet())
			.onErrorResume((ex) -> {
				logger.warn("Cannot queue the upload {} again: {}", upload.name(), ex.toString());
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Whether the publisher lost track of an upload: it has no state, or it is stored on
	 * no box any more (its replicas were forgotten, e.g. with their boxes, and the
	 * re-publishing gave up). One being published, or failed, is not lost.
	 */
	private Mono<Boolean> lost(String name) {
		return this.files.state(name)
			.zipWith(this.files.replicas(name))
			.map((known) -> known.getT1().isEmpty()
					|| ("STORED".equals(known.getT1().get(FileRepository.STATE)) && known.getT2().isEmpty()));
	}

	/** Every upload on disk with its sidecar's expiry; blocking. */
	private List<Upload> uploads() throws IOException {
		Path directory = this.names.uploadsDirectory();
		List<Upload> uploads = new ArrayList<>();
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			return uploads;
		}
		Files.walkFileTree(directory, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				if (attributes.isRegularFile()
						&& !file.getFileName().toString().startsWith(StoragePaths.RESERVED_PREFIX)) {
					name(file).ifPresent((name) -> uploads.add(new Upload(name, file, expiry(file))));
				}
				return FileVisitResult.CONTINUE;
			}

		});
		return uploads;
	}

	private Optional<String> name(Path file) {
		try {
			return Optional.of(this.names.ofLocalFile(file.toString()));
		}
		catch (IllegalArgumentException ex) {
			// Not a name an upload can have (it was never accepted as one): not ours to
			// queue
			logger.debug("Left {} alone: {}", file, ex.getMessage());
			return Optional.empty();
		}
	}

	private static Optional<FileExpiry> expiry(Path file) {
		try {
			return ExpirySidecar.read(file);
		}
		catch (IOException ex) {
			logger.warn("Cannot read the TTL record of {}: {}", file, ex.toString());
			return Optional.empty();
		}
	}

	/**
	 * An upload on disk.
	 *
	 * @param name its public name
	 * @param file where it is
	 * @param expiry when it expires, from its sidecar; empty without one
	 */
	private record Upload(String name, Path file, Optional<FileExpiry> expiry) {

	}

}
