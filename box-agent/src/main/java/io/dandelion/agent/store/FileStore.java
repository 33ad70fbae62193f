package io.dandelion.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.protocol.store.PathRefusedException;
import io.dandelion.protocol.store.StoragePaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The box's files on disk: {@code <base-directory>/<publisher-id>/<FILE_PATH>}. Writes go
 * to a temporary file in the target's directory, are hashed while written, fsynced, then
 * atomically renamed into place, so a half-written file is never visible at its final
 * path. Each file's expiry is kept beside it in an {@link ExpirySidecar}, written before
 * the rename: the record that counts when the sweeper would delete it, and what
 * {@link ExpiryReconciler} rebuilds lost Redis records from. Tracks the stored bytes for
 * two quotas: the box's and each publisher's, so that one publisher cannot fill the store
 * and starve the others.
 * <p>
 * Accounting: a write reserves the bytes it adds (its size less that of the file it
 * replaces) against both quotas before writing, atomically, so concurrent writers cannot
 * overshoot either together; a refused or failed write gives them back. A smaller file
 * frees bytes only once it replaced the larger one. Commits and deletes of one path run
 * one at a time and count the size of the file they really replace or delete, which keeps
 * the counts equal to the bytes on disk even when a write races another write or the
 * expiry sweeper at the same path.
 * <p>
 * fsync policy: the file is forced to disk before the rename, so that after a power cut
 * the final path holds either the old or the whole new content, never a hole. The
 * directory is not fsynced: a lost rename only loses a cache copy that the publisher
 * pushes again and viewers fetch from the origin meanwhile, and an extra fsync per HLS
 * segment is costly on the SD cards boxes run on.
 * <p>
 * Every method does blocking I/O: callers run them on the store scheduler.
 */
@Component
public class FileStore implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(FileStore.class);

	private static final Pattern PUBLISHER_DIRECTORY = Pattern.compile("publisher-[0-9a-f]{32}");

	private static final int CHUNK_BYTES = 64 * 1024;

	private static final int PATH_LOCKS = 64;

	private final Path root;

	private final long maxStorage;

	private final long maxStoragePerPublisher;

	private final long minFreeDisk;

	private final LongSupplier usableSpace;

	private final AtomicLong usedBytes = new AtomicLong();

	/** Stored bytes by publisher ID; a publisher holding nothing has no entry. */
	private final Map<String, Long> publisherBytes = new ConcurrentHashMap<>();

	/** Striped by path: commits and deletes of one path never run at once. */
	private final Object[] pathLocks = new Object[PATH_LOCKS];

	private volatile Consumer<Path> afterMove = (file) -> {
	};

	@Autowired
	public FileStore(BoxProperties properties) {
		this(properties.storeRoot(), properties.store().maxStorage().toBytes(),
				properties.store().publisherQuota().toBytes(), properties.store().minFreeDisk().toBytes(), null);
	}

	FileStore(Path root, long maxStorage, long maxStoragePerPublisher, long minFreeDisk,
			LongSupplier usableSpace /* for testing */) {
		this.root = root.toAbsolutePath().normalize();
		this.maxStorage = maxStorage;
		this.maxStoragePerPublisher = maxStoragePerPublisher;
		this.minFreeDisk = minFreeDisk;
		this.usableSpace = (usableSpace != null) ? usableSpace : this::usableSpaceOfRoot;
		for (int i = 0; i < PATH_LOCKS; i++) {
			this.pathLocks[i] = new Object();
		}
	}

	/**
	 * Creates the root, deletes temporary files left by a previous run (a box that died
	 * mid-write) and counts the stored bytes, in all and by publisher, once at start-up.
	 */
	@Override
	public void afterPropertiesSet() throws IOException {
		if (this.maxStoragePerPublisher > this.maxStorage) {
			logger.warn(
					"BOX_MAX_STORAGE_PER_PUBLISHER ({} bytes) is above BOX_MAX_STORAGE ({} bytes), so only the "
							+ "box's quota limits a publisher: one publisher can fill the store and starve the others",
					this.maxStoragePerPublisher, this.maxStorage);
		}
		Files.createDirectories(this.root);
		long[] staleFiles = new long[1];
		Map<String, Long> found = new HashMap<>();
		forEachPublisherDirectory((directory) -> {
			long[] bytes = new long[1];
			Files.walkFileTree(directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					String name = file.getFileName().toString();
					if (name.startsWith(StoragePaths.TEMP_FILE_PREFIX)) {
						Files.deleteIfExists(file);
						staleFiles[0]++;
					}
					else if (attributes.isRegularFile() && !name.startsWith(StoragePaths.RESERVED_PREFIX)) {
						// The box's own files beside them (expiry sidecars) count
						// against no quota
						bytes[0] += attributes.size();
					}
					return FileVisitResult.CONTINUE;
				}

			});
			if (bytes[0] > 0) {
				found.put(directory.getFileName().toString(), bytes[0]);
			}
		});
		this.publisherBytes.clear();
		this.publisherBytes.putAll(found);
		long total = found.values().stream().mapToLong(Long::longValue).sum();
		this.usedBytes.set(total);
		long overQuota = found.values().stream().filter((bytes) -> bytes > this.maxStoragePerPublisher).count();
		logger.info(
				"Store {} holds {} bytes of {} publishers (limit {}, {} per publisher, the most held by one {}); "
						+ "deleted {} stale temporary files",
				this.root, total, found.size(), this.maxStorage, this.maxStoragePerPublisher,
				found.values().stream().mapToLong(Long::longValue).max().orElse(0), staleFiles[0]);
		if (overQuota > 0) {
			logger.warn("{} publishers hold more than BOX_MAX_STORAGE_PER_PUBLISHER ({} bytes): their new files are "
					+ "refused until enough of their old ones expire", overQuota, this.maxStoragePerPublisher);
		}
	}

	/**
	 * Runs the given code each time a file has just been moved to its final path, on the
	 * thread that moved it.
	 * @param hook receives the final path
	 */
	public void afterMove(Consumer<Path> hook /* for testing */) {
		this.afterMove = hook;
	}

	/**
	 * The root of the store.
	 * @return the base directory, absolute
	 */
	public Path root() {
		return this.root;
	}

	/**
	 * The bytes of all stored files, as tracked since start-up.
	 * @return the stored bytes
	 */
	public long usedBytes() {
		return this.usedBytes.get();
	}

	/**
	 * The most bytes the store holds.
	 * @return {@code BOX_MAX_STORAGE} in bytes
	 */
	public long maxStorage() {
		return this.maxStorage;
	}

	/**
	 * The free disk space the store leaves untouched.
	 * @return {@code BOX_MIN_FREE_DISK} in bytes
	 */
	public long minFreeDisk() {
		return this.minFreeDisk;
	}

	/**
	 * The disk space free for the store now, as a write checks it against
	 * {@link #minFreeDisk()}.
	 * @return the usable bytes of the store's file system
	 * @throws StoreRefusedException with {@code WRITE_FAILED} when it cannot be read
	 */
	public long freeDisk() {
		return this.usableSpace.getAsLong();
	}

	/**
	 * The bytes of one publisher's stored files, as tracked since start-up; what counts
	 * against its quota.
	 * @param publisherId the publisher's ID
	 * @return the stored bytes, 0 for a publisher holding nothing
	 */
	public long usedBytes(String publisherId) {
		return this.publisherBytes.getOrDefault(publisherId, 0L);
	}

	/**
	 * Creates a publisher's directory.
	 * @param publisherId the publisher's ID
	 * @return the directory
	 * @throws PathRefusedException when the ID is malformed
	 * @throws StoreRefusedException with {@code WRITE_FAILED} when it cannot be created
	 */
	public Path createPublisherDirectory(String publisherId) {
		Path directory = StoragePaths.publisherDirectory(this.root, publisherId);
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new StoreRefusedException(RefusalReason.WRITE_FAILED,
					"Cannot create the publisher's directory: " + ex.getMessage(), ex);
		}
		return directory;
	}

	/**
	 * Where a publisher's file lands, confined by {@link StoragePaths#resolve}.
	 * @param publisherId the publisher's ID
	 * @param filePath the frame's {@code FILE_PATH}
	 * @return the target path
	 * @throws PathRefusedException when the path is unsafe
	 */
	public Path resolve(String publisherId, String filePath) {
		return StoragePaths.resolve(this.root, publisherId, filePath);
	}

	/**
	 * Stores a file at once, for tests: {@link #prepare} then {@link #commit}, with a
	 * sidecar saying it expires now, so that {@link #deleteExpired} takes it whenever it
	 * is called. The box's own writes go through {@link WriteQueue}, which records the
	 * file's expiry between the two.
	 * @param target the final path, from {@link #resolve(String, String)}
	 * @param length the content's length
	 * @param content the content, read to its end
	 * @param expectedSha256 the header's {@code SHA256}, or {@code null}
	 * @return the stored file
	 * @throws StoreRefusedException when refused or the write fails
	 */
	public StoredFile write(Path target, long length, InputStream content, String expectedSha256) {
		return commit(prepare(target, length, content, expectedSha256), FileExpiry.at(Instant.now()));
	}

	/**
	 * Writes a file that is not visible yet: checks the publisher's quota, the box's
	 * quota and the disk reserve (the bytes are counted from now on), writes a temporary
	 * file beside the target while hashing it, checks length and SHA-256 and fsyncs it.
	 * On any failure the temporary file is deleted and nothing changes.
	 * @param target the final path, from {@link #resolve(String, String)}
	 * @param length the content's length, or {@link FileWrite#UNKNOWN_LENGTH} for content
	 * streamed as it arrives: its quotas and the disk reserve are then checked once it
	 * was written
	 * @param content the content, read to its end
	 * @param expectedSha256 the header's {@code SHA256}, or {@code null}
	 * @return the written file, for {@link #commit} or {@link #discard}
	 * @throws StoreRefusedException when refused or the write fails
	 */
	PreparedFile prepare(Path target, long length, InputStream content, String expectedSha256) {
		String publisherId = publisherOf(target);
		boolean streamed = length == FileWrite.UNKNOWN_LENGTH;
		// A smaller file frees nothing until it replaced the larger one
		long reserved = streamed ? 0 : Math.max(0, length - sizeOf(target));
		reserve(publisherId, reserved);
		checkDiskReserve(publisherId, reserved, length);
		Path temp = null;
		boolean prepared = false;
		try {
			createDirectoriesRacingThePruner(target.getParent());
			temp = target.resolveSibling(StoragePaths.TEMP_FILE_PREFIX + "-" + UUID.randomUUID());
			MessageDigest digest = sha256();
			long written = 0;
			try (FileChannel channel = openTemporary(temp)) {
				byte[] chunk = new byte[CHUNK_BYTES];
				for (int read = content.read(chunk); read != -1; read = content.read(chunk)) {
					digest.update(chunk, 0, read);
					ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, read);
					while (buffer.hasRemaining()) {
						channel.write(buffer);
					}
					written += read;
				}
				channel.force(true);
			}
			if (streamed) {
				// The temporary file already takes its room on the disk
				long added = Math.max(0, written - sizeOf(target));
				reserve(publisherId, added);
				checkDiskReserve(publisherId, added, 0);
				reserved = added;
			}
			else if (written != length) {
				throw new StoreRefusedException(RefusalReason.WRITE_FAILED,
						"Content ended after " + written + " of " + length + " bytes");
			}
			String sha256 = HexFormat.of().formatHex(digest.digest());
			if (expectedSha256 != null && !expectedSha256.equals(sha256)) {
				throw new StoreRefusedException(RefusalReason.SHA256_MISMATCH,
						"Content has SHA256 " + sha256 + ", the header says " + expectedSha256);
			}
			prepared = true;
			return new PreparedFile(target, temp, written, sha256, publisherId, reserved);
		}
		catch (IOException ex) {
			throw new StoreRefusedException(RefusalReason.WRITE_FAILED, "Cannot write the file: " + ex, ex);
		}
		finally {
			if (!prepared) {
				release(publisherId, reserved);
				deleteQuietly(temp);
			}
		}
	}

	/**
	 * Writes the file's expiry sidecar ({@link ExpirySidecar}), then moves the prepared
	 * file into place atomically, replacing an older file: from now on it is served, and
	 * its expiry is on disk beside it.
	 * @param file the prepared file
	 * @param expiry when it expires
	 * @return the stored file
	 * @throws StoreRefusedException when the sidecar cannot be written or the move fails,
	 * or when the file it replaces expired meanwhile and its bytes no longer fit the
	 * quotas; the temporary file is deleted
	 */
	StoredFile commit(PreparedFile file, FileExpiry expiry) {
		synchronized (lockOf(file.target())) {
			// What the file really adds, whatever another write or the sweeper did at its
			// path since prepare, less what was reserved then
			long correction = (file.size() - sizeOf(file.target())) - file.reserved();
			try {
				reserve(file.publisherId(), Math.max(0, correction));
			}
			catch (StoreRefusedException ex) {
				discard(file);
				throw ex;
			}
			String step = "write the file's expiry sidecar";
			try {
				// First: a file in place always has its expiry beside it
				ExpirySidecar.write(file.target(), expiry);
				step = "move the file into place";
				Files.move(file.temp(), file.target(), StandardCopyOption.ATOMIC_MOVE,
						StandardCopyOption.REPLACE_EXISTING);
			}
			catch (IOException ex) {
				release(file.publisherId(), Math.max(0, correction));
				discard(file);
				throw new StoreRefusedException(RefusalReason.WRITE_FAILED, "Cannot " + step + ": " + ex, ex);
			}
			// Freed only now that the larger file is gone
			release(file.publisherId(), Math.max(0, -correction));
		}
		this.afterMove.accept(file.target());
		return new StoredFile(file.target(), file.size(), file.sha256());
	}

	/**
	 * Deletes a prepared file that is not to be stored after all; a no-op once it was
	 * committed or discarded.
	 * @param file the prepared file
	 */
	void discard(PreparedFile file) {
		if (deleteQuietly(file.temp())) {
			release(file.publisherId(), file.reserved());
		}
	}

	/**
	 * Deletes an expired file with its sidecar, only when it is still inside the store
	 * (re-checked with {@link StoragePaths#resolve}), was not written after it expired
	 * and its sidecar, when it has one, agrees that it expired by then (a file rewritten
	 * with TTL 0 or a later expiry is kept, whatever record raced with that write); then
	 * removes the directories it leaves empty, up to the publisher's directory.
	 * @param file the absolute path recorded when the file was stored
	 * @param expiredAtMillis when it expired; a newer file at the path is kept
	 * @return whether a file was deleted
	 */
	public boolean deleteExpired(Path file, long expiredAtMillis) {
		Path confined = confine(file);
		if (confined == null) {
			logger.warn("Not deleting {}: it is not a stored file", file);
			return false;
		}
		try {
			synchronized (lockOf(confined)) {
				BasicFileAttributes attributes = Files.readAttributes(confined, BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				if (!attributes.isRegularFile() || attributes.lastModifiedTime().toMillis() > expiredAtMillis
						|| keptBySidecar(confined, expiredAtMillis)) {
					return false;
				}
				Files.delete(confined);
				deleteSidecarQuietly(confined);
				release(publisherOf(confined), attributes.size());
			}
			pruneEmptyParents(confined);
			return true;
		}
		catch (NoSuchFileException ex) {
			// Already gone (deleted by hand, or replaced and swept before): nothing to do
			return false;
		}
		catch (IOException ex) {
			logger.warn("Cannot delete expired file {}: {}", confined, ex.toString());
			return false;
		}
	}

	/**
	 * Deletes a stored file whatever its age, e.g. one whose TTL could not be recorded.
	 * @param file the stored file
	 */
	public void delete(StoredFile file) {
		Path confined = confine(file.path());
		if (confined == null) {
			return;
		}
		synchronized (lockOf(confined)) {
			// What is there now: another write may have replaced it
			long size = sizeOf(confined);
			if (!deleteQuietly(confined)) {
				return;
			}
			deleteSidecarQuietly(confined);
			release(publisherOf(confined), size);
		}
		pruneEmptyParents(confined);
	}

	/**
	 * Every stored file with its sidecar's expiry, for {@link ExpiryReconciler}; deletes
	 * the sidecars whose file is gone on the way, when they are older than a write takes
	 * from its sidecar to its move.
	 * @param orphansBefore a sidecar without its file is deleted when modified before
	 * @return the files, and how many sidecars were deleted
	 * @throws IOException when the store cannot be walked
	 */
	Inventory inventory(Instant orphansBefore) throws IOException {
		List<OnDisk> files = new ArrayList<>();
		Set<Path> expectedSidecars = new HashSet<>();
		List<Path> sidecars = new ArrayList<>();
		forEachPublisherDirectory((directory) -> Files.walkFileTree(directory, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				String name = file.getFileName().toString();
				if (ExpirySidecar.isSidecar(file)) {
					sidecars.add(file);
				}
				else if (attributes.isRegularFile() && !name.startsWith(StoragePaths.RESERVED_PREFIX)) {
					expectedSidecars.add(ExpirySidecar.of(file));
					files.add(new OnDisk(file, attributes.lastModifiedTime().toInstant(), readSidecar(file)));
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) {
				// Deleted by the sweeper while walking
				return FileVisitResult.CONTINUE;
			}

		}));
		int orphans = 0;
		for (Path sidecar : sidecars) {
			if (!expectedSidecars.contains(sidecar) && modifiedBefore(sidecar, orphansBefore)
					&& deleteQuietly(sidecar)) {
				orphans++;
			}
		}
		return new Inventory(files, orphans);
	}

	/**
	 * Writes a stored file's sidecar unless it has one: for a file stored before the box
	 * kept sidecars.
	 * @param file the stored file
	 * @param expiry when it expires
	 * @return whether it was written
	 */
	boolean writeSidecarIfAbsent(Path file, FileExpiry expiry) {
		Path confined = confine(file);
		if (confined == null) {
			return false;
		}
		synchronized (lockOf(confined)) {
			try {
				return Files.isRegularFile(confined, LinkOption.NOFOLLOW_LINKS)
						&& ExpirySidecar.writeIfAbsent(confined, expiry);
			}
			catch (IOException ex) {
				logger.warn("Cannot write the expiry sidecar of {}: {}", confined, ex.toString());
				return false;
			}
		}
	}

	/**
	 * Whether a path recorded in Redis is a file of the store.
	 * @param file the path
	 * @return true when it is a regular file inside a publisher's directory
	 */
	boolean holds(Path file) {
		Path confined = confine(file);
		return confined != null && Files.isRegularFile(confined, LinkOption.NOFOLLOW_LINKS);
	}

	private static Optional<FileExpiry> readSidecar(Path file) {
		try {
			return ExpirySidecar.read(file);
		}
		catch (IOException ex) {
			logger.warn("Cannot read the expiry sidecar of {}: {}", file, ex.toString());
			return Optional.empty();
		}
	}

	/** Whether the file's sidecar says it is kept beyond the given expiry. */
	private static boolean keptBySidecar(Path file, long expiredAtMillis) {
		Optional<FileExpiry> expiry = readSidecar(file);
		boolean kept = expiry.isPresent()
				&& (expiry.get().never() || expiry.get().at().toEpochMilli() > expiredAtMillis);
		if (kept) {
			logger.debug("Keeping {}: its sidecar says it expires {}", file,
					expiry.get().never() ? "never" : expiry.get().at());
		}
		return kept;
	}

	private static void deleteSidecarQuietly(Path file) {
		try {
			ExpirySidecar.delete(file);
		}
		catch (IOException ex) {
			logger.warn("Cannot delete the expiry sidecar of {}: {}", file, ex.toString());
		}
	}

	private static boolean modifiedBefore(Path file, Instant time) {
		try {
			return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(time);
		}
		catch (IOException ex) {
			// Gone or unreadable: not known to be old, so left alone this time
			return false;
		}
	}

	/**
	 * The path again from the publisher ID and the rest, through the one confinement
	 * check; {@code null} when it is not a file of a publisher's directory.
	 */
	private Path confine(Path file) {
		Path normalized = file.toAbsolutePath().normalize();
		if (!normalized.startsWith(this.root) || this.root.relativize(normalized).getNameCount() < 2) {
			return null;
		}
		Path relative = this.root.relativize(normalized);
		String publisherId = relative.getName(0).toString();
		String rest = relative.subpath(1, relative.getNameCount()).toString();
		try {
			Path resolved = StoragePaths.resolve(this.root, publisherId, rest);
			return resolved.equals(normalized) ? resolved : null;
		}
		catch (PathRefusedException ex) {
			// Not a path the store would have written: the callers leave it alone
			return null;
		}
	}

	private static FileChannel openTemporary(Path temp) throws IOException {
		try {
			// CREATE_NEW: never follow a link someone placed at the temporary name
			return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		}
		catch (NoSuchFileException ex) {
			// The sweeper pruned the directory just after we created it: once more
			createDirectoriesRacingThePruner(temp.getParent());
			return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		}
	}

	/**
	 * Creates a file's directories while {@link #pruneEmptyParents(Path)} may remove
	 * them: the JDK reports a directory deleted between its own "exists" and "is a
	 * directory" checks as {@link FileAlreadyExistsException}, which is worth another
	 * try, unless a file really stands there.
	 */
	private static void createDirectoriesRacingThePruner(Path directory) throws IOException {
		for (int attempt = 1;; attempt++) {
			try {
				Files.createDirectories(directory);
				return;
			}
			catch (FileAlreadyExistsException ex) {
				if (attempt >= 3 || Files.isRegularFile(directory, LinkOption.NOFOLLOW_LINKS)) {
					throw ex;
				}
				// The pruner deleted a parent as it was being created: try again
			}
		}
	}

	private void pruneEmptyParents(Path file) {
		Path publisherDirectory = this.root.resolve(this.root.relativize(file).getName(0));
		for (Path directory = file.getParent(); directory != null && directory.startsWith(publisherDirectory)
				&& !directory.equals(publisherDirectory); directory = directory.getParent()) {
			try {
				Files.delete(directory);
			}
			catch (IOException ex) {
				// Not empty (or already gone, or just refilled by a writer): stop here
				return;
			}
		}
	}

	/**
	 * Counts the bytes against the publisher's quota, then the box's. Each count is
	 * checked and updated in one atomic step, so concurrent writers cannot overshoot
	 * either quota together.
	 */
	private void reserve(String publisherId, long delta) {
		long held = addToPublisher(publisherId, delta, true);
		if (held >= 0) {
			throw new StoreRefusedException(RefusalReason.PUBLISHER_QUOTA_EXCEEDED,
					"Publisher " + publisherId + " holds " + held + " bytes on this box; " + delta
							+ " more would exceed its quota of " + this.maxStoragePerPublisher + " bytes");
		}
		if (!addToBox(delta, true)) {
			addToPublisher(publisherId, -delta, false);
			throw new StoreRefusedException(RefusalReason.QUOTA_EXCEEDED, "Storing " + delta
					+ " more bytes would exceed the box's storage limit of " + this.maxStorage + " bytes");
		}
	}

	/** Gives reserved or deleted bytes back to both counts. */
	private void release(String publisherId, long bytes) {
		addToPublisher(publisherId, -bytes, false);
		addToBox(-bytes, false);
	}

	/**
	 * Adds to a publisher's count, atomically for that publisher.
	 * @return {@code -1} when added; when refused for the quota, the bytes held
	 */
	private long addToPublisher(String publisherId, long delta, boolean checked) {
		long[] refusedAt = { -1 };
		this.publisherBytes.compute(publisherId, (id, held) -> {
			long current = (held != null) ? held : 0;
			if (checked && delta > 0 && current + delta > this.maxStoragePerPublisher) {
				refusedAt[0] = current;
				return held;
			}
			long updated = current + delta;
			// Forgotten at zero, so that publishers gone for good leave nothing behind
			return (updated != 0) ? updated : null;
		});
		return refusedAt[0];
	}

	/** Adds to the box's count; {@code false} when refused for the quota. */
	private boolean addToBox(long delta, boolean checked) {
		long used;
		do {
			used = this.usedBytes.get();
			if (checked && delta > 0 && used + delta > this.maxStorage) {
				return false;
			}
		}
		while (!this.usedBytes.compareAndSet(used, used + delta));
		return true;
	}

	/** Checks the free-disk reserve, giving the reserved bytes back when refused. */
	private void checkDiskReserve(String publisherId, long delta, long length) {
		long free;
		try {
			free = this.usableSpace.getAsLong();
		}
		catch (RuntimeException ex) {
			release(publisherId, delta);
			throw ex;
		}
		if (free - length < this.minFreeDisk) {
			release(publisherId, delta);
			throw new StoreRefusedException(RefusalReason.DISK_RESERVE, "Storing " + length
					+ " bytes would leave less than " + this.minFreeDisk + " bytes free on the box's disk");
		}
	}

	private Object lockOf(Path file) {
		return this.pathLocks[Math.floorMod(file.hashCode(), PATH_LOCKS)];
	}

	/** The publisher ID of a path inside the store: its first name below the root. */
	private String publisherOf(Path file) {
		return this.root.relativize(file.toAbsolutePath().normalize()).getName(0).toString();
	}

	private long usableSpaceOfRoot() {
		try {
			return Files.getFileStore(this.root).getUsableSpace();
		}
		catch (IOException ex) {
			throw new StoreRefusedException(RefusalReason.WRITE_FAILED, "Cannot read the free disk space: " + ex, ex);
		}
	}

	private static long sizeOf(Path file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			return attributes.isRegularFile() ? attributes.size() : 0;
		}
		catch (IOException ex) {
			// No file there yet (the usual case), so nothing to count
			return 0;
		}
	}

	private static boolean deleteQuietly(Path file) {
		if (file == null) {
			return false;
		}
		try {
			return Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Cannot delete {}: {}", file, ex.toString());
			return false;
		}
	}

	private void forEachPublisherDirectory(IoConsumer<Path> action) throws IOException {
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.root,
				(entry) -> PUBLISHER_DIRECTORY.matcher(entry.getFileName().toString()).matches()
						&& Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
			for (Path directory : entries) {
				action.accept(directory);
			}
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	@FunctionalInterface
	private interface IoConsumer<T> {

		void accept(T value) throws IOException;

	}

	/**
	 * What {@link #inventory} found.
	 *
	 * @param files the stored files
	 * @param orphanSidecarsDeleted how many sidecars without a file it deleted
	 */
	record Inventory(List<OnDisk> files, int orphanSidecarsDeleted) {

	}

	/**
	 * A stored file as found on disk.
	 *
	 * @param path where it is
	 * @param modified when it was last written
	 * @param sidecar its sidecar's expiry, empty when it has no readable sidecar
	 */
	record OnDisk(Path path, Instant modified, Optional<FileExpiry> sidecar) {

	}

	/**
	 * A file written and fsynced under a temporary name beside its target, not visible
	 * yet.
	 *
	 * @param target where it goes
	 * @param temp where it is
	 * @param size its length in bytes
	 * @param sha256 the lowercase hex SHA-256 of its content
	 * @param publisherId whose quota it counts against
	 * @param reserved the bytes it added to the counts when prepared: its size less that
	 * of the file at the target then, if it was larger
	 */
	record PreparedFile(Path target, Path temp, long size, String sha256, String publisherId, long reserved) {

	}

}
