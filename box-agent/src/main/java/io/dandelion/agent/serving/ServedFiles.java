package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dandelion.protocol.store.DataPortProbe;
import io.dandelion.protocol.store.PathRefusedException;
import io.dandelion.protocol.store.StoragePaths;

import org.springframework.web.util.UriUtils;

/**
 * Maps a URL path {@code /{publisher-id}{FILE_PATH}} to a stored file: only regular files
 * below a {@code publisher-[0-9a-f]{32}} directory, through the same confinement as
 * writes ({@link StoragePaths#resolve}), so the run directory, temporary files, the ID
 * file and directories are never served; and the box's probe file
 * ({@link FileServerProbe}) and the entrances' probe object ({@link DataPortProbe}).
 */
final class ServedFiles {

	private static final Pattern URL_PATH = Pattern.compile("/(publisher-[0-9a-f]{32})(/.+)");

	/** The paths nginx serves from publisher directories (its location's regex). */
	private static final Pattern PUBLISHER_PATH = Pattern.compile("^/publisher-[0-9a-f]{32}/");

	private final Path root;

	ServedFiles(Path root) {
		this.root = root;
	}

	/**
	 * A request path decoded, as nginx's {@code $uri} holds it.
	 * @param rawPath the path as requested, percent-encoded, without query
	 * @return the decoded path, or {@code null} when it does not decode
	 */
	static String decode(String rawPath) {
		try {
			return UriUtils.decode(rawPath, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A viewer's malformed path: the caller answers it 404
			return null;
		}
	}

	/**
	 * Whether a path names a file in a publisher directory, the files whose URLs may need
	 * a signature (the probe and everything else are never served from there).
	 * @param path the decoded path
	 * @return {@code true} for {@code /publisher-…/…}
	 */
	static boolean isPublisherFile(String path) {
		return PUBLISHER_PATH.matcher(path).find();
	}

	/**
	 * Finds the file for a request path; blocking (it reads file attributes).
	 * @param path the decoded path ({@link #decode(String)})
	 * @return the file, or {@code null} when there is none to serve
	 */
	Found find(String path) {
		if (path.equals(FileServerProbe.URL_PATH)) {
			return regularFile(FileServerProbe.file(this.root));
		}
		if (path.equals(DataPortProbe.PATH)) {
			return regularFile(FileServerProbe.entranceProbeFile(this.root));
		}
		Matcher matcher = URL_PATH.matcher(path);
		if (!matcher.matches()) {
			return null;
		}
		try {
			Path file = StoragePaths.resolve(this.root, matcher.group(1), matcher.group(2));
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			return attributes.isRegularFile() ? new Found(file, attributes) : null;
		}
		catch (PathRefusedException | IOException ex) {
			// Outside the store or not there: a viewer's 404, as nginx answers it
			return null;
		}
	}

	/** A regular file that is no symbolic link, below a directory that is none. */
	private static Found regularFile(Path file) {
		try {
			if (Files.isSymbolicLink(file.getParent())) {
				return null;
			}
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			return attributes.isRegularFile() ? new Found(file, attributes) : null;
		}
		catch (IOException ex) {
			// Not written yet: a 404, which the probe's own result explains
			return null;
		}
	}

	/**
	 * A file to serve.
	 *
	 * @param path where it is
	 * @param attributes its size and modification time, read once
	 */
	record Found(Path path, BasicFileAttributes attributes) {

	}

}
