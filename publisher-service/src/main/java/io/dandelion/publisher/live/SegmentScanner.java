package io.dandelion.publisher.live;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which segments are finished and not yet published. The media playlists are the
 * source of truth: encoders list a segment only once it is complete (closed, or renamed
 * into place), so a listed segment is finished and a growing one is never listed. Each
 * finished segment is handed out once (per file version: a file rewritten under the same
 * name, as a restarted encoder does, counts again); it is forgotten once no playlist
 * lists it any more, which keeps the memory bounded by the playlists' windows.
 */
final class SegmentScanner {

	private static final Logger logger = LoggerFactory.getLogger(SegmentScanner.class);

	private final Map<Path, FileTime> handedOut = new ConcurrentHashMap<>();

	/**
	 * Scans the playlists directly in one directory.
	 * @param watchDir the watch directory the directory belongs to
	 * @param dir the directory
	 * @param listed collects every media file the playlists list
	 * @return the finished segments not handed out before, now marked as handed out
	 */
	List<Segment> scan(Path watchDir, Path dir, Set<Path> listed) {
		List<Segment> finished = new ArrayList<>();
		try (DirectoryStream<Path> playlists = Files.newDirectoryStream(dir, "*.m3u8")) {
			for (Path file : playlists) {
				scanPlaylist(watchDir, file, listed, finished);
			}
		}
		catch (NoSuchFileException ex) {
			// The directory went away (stream ended and cleaned up)
		}
		catch (IOException ex) {
			logger.warn("Cannot list the playlists in {}: {}", dir, ex.toString());
		}
		return finished;
	}

	/**
	 * Forgets everything no playlist lists any more.
	 * @param listed every media file the playlists of all watch directories list
	 */
	void retainListed(Set<Path> listed) {
		this.handedOut.keySet().retainAll(listed);
	}

	/**
	 * Hands a segment out again on the next scan, e.g. because publishing it failed.
	 * @param segment the segment
	 */
	void forget(Path segment) {
		this.handedOut.remove(segment);
	}

	private void scanPlaylist(Path watchDir, Path file, Set<Path> listed, List<Segment> finished) {
		Optional<LivePath> at = LivePath.relative(watchDir, file);
		if (at.isEmpty()) {
			return;
		}
		HlsPlaylist playlist;
		try {
			playlist = HlsPlaylist.parse(LiveFiles.readText(file));
		}
		catch (NoSuchFileException ex) {
			// Replaced or removed since it was listed: the next event or scan reads it
			return;
		}
		catch (IOException ex) {
			logger.warn("Cannot read the playlist {}: {}", file, ex.toString());
			return;
		}
		for (LivePath media : PlaylistRewriter.mediaFiles(playlist, at.get())) {
			Path segment = media.in(watchDir);
			listed.add(segment);
			FileTime modified = lastModified(segment);
			if (modified != null && !modified.equals(this.handedOut.put(segment, modified))) {
				finished.add(new Segment(media, segment));
			}
		}
	}

	/**
	 * A finished segment.
	 *
	 * @param path its path relative to its watch directory, which names it
	 * @param file its absolute local path
	 */
	record Segment(LivePath path, Path file) {

	}

	/** The file's modification time, {@code null} when it is not a regular file (yet). */
	private static FileTime lastModified(Path segment) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(segment, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			return attributes.isRegularFile() ? attributes.lastModifiedTime() : null;
		}
		catch (IOException ex) {
			// Gone or unreadable: not finished, as documented
			return null;
		}
	}

}
