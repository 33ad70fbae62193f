package io.dandelion.publisher.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.dandelion.publisher.config.LiveProperties;

import org.springframework.stereotype.Component;

/**
 * Finds the files of live streams in the watch directories, confined to them: a path is
 * looked up in each watch directory in turn, and a file is only found when it is a
 * regular file whose real location (after symbolic links) is inside that directory.
 * Blocking: callers run it on a scheduler meant for blocking work.
 */
@Component
class LiveFiles {

	private final List<Path> watchDirs;

	LiveFiles(LiveProperties properties) {
		this.watchDirs = properties.watchDirs();
	}

	/**
	 * The first watch directory's copy of a file.
	 * @param path the file, relative to a watch directory
	 * @return the file, or empty when no watch directory holds it
	 */
	Optional<LiveFile> find(LivePath path) {
		for (Path watchDir : this.watchDirs) {
			Path file = path.in(watchDir);
			if (Files.isRegularFile(file) && isInside(watchDir, file)) {
				return Optional.of(new LiveFile(watchDir, path, file));
			}
		}
		return Optional.empty();
	}

	/**
	 * Reads a whole playlist at once. Encoders replace a playlist by renaming a new file
	 * over it, so one read sees one complete version.
	 * @param path the playlist, relative to a watch directory
	 * @return the playlist's location and text, or empty when no watch directory holds it
	 * @throws IOException when the file cannot be read
	 */
	Optional<PlaylistFile> readPlaylist(LivePath path) throws IOException {
		Optional<LiveFile> found = find(path);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new PlaylistFile(found.get(), readText(found.get().file())));
		}
		catch (NoSuchFileException ex) {
			// Removed between the look-up and the read: the stream just ended
			return Optional.empty();
		}
	}

	static String readText(Path file) throws IOException {
		// Lenient decoding: a stray byte must not make the playlist unreadable
		return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
	}

	/**
	 * When a file was last modified: for a segment, when the encoder finished it.
	 * @param file the file
	 * @return the time, or empty when the file is gone or cannot be read
	 */
	static Optional<Instant> lastModified(Path file) {
		try {
			return Optional.of(Files.getLastModifiedTime(file).toInstant());
		}
		catch (IOException ex) {
			// Gone (the encoder deleted it) or unreadable: the caller takes it as old
			return Optional.empty();
		}
	}

	private static boolean isInside(Path watchDir, Path file) {
		try {
			return file.toRealPath().startsWith(watchDir.toRealPath());
		}
		catch (IOException ex) {
			// Gone, or a broken link: nothing to serve from a watch directory
			return false;
		}
	}

	/**
	 * A file found in a watch directory.
	 *
	 * @param watchDir the watch directory holding it
	 * @param path its path relative to that directory
	 * @param file its absolute path
	 */
	record LiveFile(Path watchDir, LivePath path, Path file) {

	}

	/**
	 * A playlist read from a watch directory.
	 *
	 * @param location where it is
	 * @param text its whole text
	 */
	record PlaylistFile(LiveFile location, String text) {

	}

}
