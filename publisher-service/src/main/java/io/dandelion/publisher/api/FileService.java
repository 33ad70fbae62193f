package io.dandelion.publisher.api;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.protocol.store.StoragePaths;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.locate.FileLocator;
import io.dandelion.publisher.locate.UnknownFileException;
import io.dandelion.publisher.pool.BoxPool;
import io.dandelion.publisher.pool.ViewerUrls;
import io.dandelion.publisher.publish.FileIntake;
import io.dandelion.publisher.publish.FileRepository;
import io.dandelion.publisher.publish.NameTakenException;
import io.dandelion.publisher.publish.PublicNames;
import io.dandelion.publisher.publish.PublishTask;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Service;

/**
 * What the REST API does with files: checks and queues local files, stores uploads
 * (confined to {@code <base-directory>/uploads/<publisher-id>/}, written to a temporary
 * file and renamed into place) and queues them, and reports a file's state. Files are
 * known by their public names ({@link PublicNames}); a local path never leaves this class
 * in an answer. Where viewers fetch a file is {@link FileLocator}'s to say.
 */
@Service
class FileService {

	private static final String TEMP_PREFIX = StoragePaths.TEMP_FILE_PREFIX;

	private final FileIntake intake;

	private final FileRepository files;

	private final BoxPool pool;

	private final PublisherProperties properties;

	private final PublicNames names;

	private final Clock clock;

	private final ViewerUrls urls;

	FileService(FileIntake intake, FileRepository files, BoxPool pool, PublisherProperties properties,
			PublicNames names, Clock clock, ViewerUrls urls) {
		this.intake = intake;
		this.files = files;
		this.pool = pool;
		this.properties = properties;
		this.names = names;
		this.clock = clock;
		this.urls = urls;
	}

	/**
	 * Checks a name taken from a request.
	 * @param path the path after {@code /api/v1/files} or {@code /r}
	 * @return the name, canonical
	 */
	static String name(String path) {
		try {
			return PublicNames.canonical(path);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidFileException(ex.getMessage());
		}
	}

	/**
	 * Queues a local file, as the original {@code FileManager.push}, under its public
	 * name: its path below its allowed root.
	 * @param request the task: {@code FILE_PATH}, {@code TTL} and extra keys
	 * @return the queued file's name
	 */
	Mono<String> push(QueueRequest request) {
		String filePath = request.filePath();
		if (filePath == null || filePath.isBlank()) {
			return Mono.error(new InvalidFileException("FILE_PATH is missing"));
		}
		long ttl = request.ttlSeconds();
		Map<String, Object> extra = request.extraKeys();
		return Mono.fromCallable(() -> checkLocal(filePath))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((name) -> this.intake
				.queue(new PublishTask(filePath, name, Path.of(filePath).toString(), ttl, extra, false)));
	}

	/**
	 * Checks a local file and names it. The details of a refusal name neither the file
	 * nor the allowed directories: the caller knows what it sent.
	 */
	private String checkLocal(String filePath) {
		String name;
		try {
			name = this.names.ofLocalFile(filePath);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidFileException(ex.getMessage());
		}
		Path path = Path.of(filePath);
		Path root = this.names.rootOf(path).orElseThrow();
		Path real;
		try {
			real = path.toRealPath();
		}
		catch (IOException ex) {
			throw new InvalidFileException("FILE_PATH does not exist");
		}
		// A symbolic link may not lead out of the root the name comes from
		if (!real.startsWith(realPath(root))) {
			throw new InvalidFileException("FILE_PATH is outside the allowed directories");
		}
		if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
			throw new InvalidFileException("FILE_PATH is not a readable regular file");
		}
		return name;
	}

	private static Path realPath(Path root) {
		try {
			return root.toRealPath();
		}
		catch (IOException ex) {
			// A root that does not exist holds no file: the caller's own check fails
			return root;
		}
	}

	/**
	 * Stores an upload under the uploads directory and queues it, named by the path it
	 * was PUT at.
	 * @param requestPath the path under {@code /api/v1/files}
	 * @param ttl the TTL
	 * @param body the bytes
	 * @return the upload's name
	 */
	Mono<String> upload(String requestPath, long ttl, Flux<DataBuffer> body) {
		if (ttl < 0 || ttl > Integer.MAX_VALUE) {
			return Mono.error(new InvalidFileException("ttl must be between 0 and " + Integer.MAX_VALUE));
		}
		String name;
		Path target;
		try {
			name = PublicNames.ofFile(requestPath);
			target = this.names.uploadFile(name);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(new InvalidFileException(ex.getMessage()));
		}
		long limit = this.properties.publish().maxFrameSize().toBytes();
		// Checked before writing, so that a refused upload leaves nothing; claimed after
		Mono<Void> free = this.files.isHeldByAnother(name, target.toString())
			.flatMap((held) -> held ? Mono.error(new NameTakenException(name)) : Mono.empty());
		// Written beside the publishers' directories and moved into place only once
		// complete, so that a refused upload leaves no directories of its name behind
		return free.then(Mono.fromCallable(() -> {
			checkNoFileDirectoryClash(name, target);
			Path staging = Files.createDirectories(this.properties.uploadsRoot());
			return Files.createTempFile(staging, TEMP_PREFIX, ".part");
		}).subscribeOn(Schedulers.boundedElastic())).flatMap((temporary) -> {
			AtomicLong written = new AtomicLong();
			Flux<DataBuffer> limited = body.doOnNext((buffer) -> {
				if (written.addAndGet(buffer.readableByteCount()) > limit) {
					DataBufferUtils.release(buffer);
					throw new InvalidFileException("The upload is over the limit of " + limit + " bytes");
				}
			});
			FileExpiry expiry = FileExpiry.after(this.clock.instant(), Duration.ofSeconds(ttl));
			return DataBufferUtils.write(limited, temporary, StandardOpenOption.WRITE)
				.then(Mono.fromCallable(() -> moveIntoPlace(temporary, target, expiry))
					.subscribeOn(Schedulers.boundedElastic()))
				.onErrorResume((ex) -> Mono.fromCallable(() -> Files.deleteIfExists(temporary))
					.subscribeOn(Schedulers.boundedElastic())
					.then(Mono.error(ex)));
		})
			.flatMap((stored) -> this.intake.queue(PublishTask.named(name, stored.toString(), ttl)))
			.onErrorResume(NameTakenException.class,
					(ex) -> Mono.fromCallable(() -> Files.deleteIfExists(target))
						.subscribeOn(Schedulers.boundedElastic())
						.then(Mono.error(ex)));
	}

	/** A name may not be both a file and the directory of other uploads' names. */
	private static void checkNoFileDirectoryClash(String name, Path target) {
		if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new InvalidFileException("The name " + name + " is the directory of other uploads' names");
		}
		for (Path above = target.getParent(); above != null; above = above.getParent()) {
			if (Files.isRegularFile(above, LinkOption.NOFOLLOW_LINKS)) {
				throw new InvalidFileException("The name " + name + " lies below another upload's name");
			}
		}
	}

	/**
	 * Moves a complete upload into place, its TTL written beside it first, so that an
	 * upload whose state Redis lost is queued again with it ({@code UploadRecovery}).
	 */
	private static Path moveIntoPlace(Path temporary, Path target, FileExpiry expiry) throws IOException {
		Files.createDirectories(target.getParent());
		ExpirySidecar.write(target, expiry);
		try {
			return Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * What is known of a file. Internal fields of its state (its local path) are left
	 * out.
	 * @param filePath its name
	 * @return its state; {@link UnknownFileException} when none
	 */
	Mono<FileResponse> describe(String filePath) {
		return this.files.state(filePath).zipWith(this.files.replicas(filePath)).flatMap((known) -> {
			Map<String, String> state = known.getT1();
			Map<String, Long> replicas = known.getT2();
			if (state.isEmpty() && replicas.isEmpty()) {
				return Mono.error(new UnknownFileException(filePath));
			}
			List<FileResponse.Replica> list = new ArrayList<>();
			replicas.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach((entry) -> {
				Instant storedAt = Instant.ofEpochMilli(entry.getValue());
				list.add(new FileResponse.Replica(entry.getKey(),
						this.pool.candidate(entry.getKey())
							.map((box) -> this.urls.of(box, filePath, storedAt))
							.orElse(null),
						storedAt, this.pool.isLive(entry.getKey())));
			});
			String stateName = state.getOrDefault(FileRepository.STATE, "STORED").toLowerCase(Locale.ROOT);
			return Mono.just(new FileResponse(filePath, stateName, state.get(FileRepository.REASON),
					number(state.get(FileRepository.SIZE)), state.get(FileRepository.SHA256),
					number(state.get(FileRepository.TTL)),
					Optional.ofNullable(number(state.get(FileRepository.EXPIRES_AT)))
						.map(Instant::ofEpochMilli)
						.orElse(null),
					list, PublicNames.redirect(filePath)));
		});
	}

	private static Long number(String value) {
		if (value == null) {
			return null;
		}
		try {
			return (long) Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			// Left out of the answer, as a field not known yet
			return null;
		}
	}

}
