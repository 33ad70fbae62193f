package io.dandelion.publisher.publish;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.store.PathRefusedException;
import io.dandelion.protocol.store.StoragePaths;
import io.dandelion.publisher.config.PublisherProperties;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * The public names of files: what a file is called in every URL, playlist, frame
 * ({@code FILE_PATH}) and Redis key, so that no local path leaves the publisher. An
 * upload is named by the path it was PUT at ({@code /videos/intro.mp4}), a segment of a
 * watched stream {@code /live/{stream}/{segment}}, and a file queued by its local path by
 * that path below its root: this publisher's uploads directory first, then
 * {@code PUBLISHER_ALLOWED_ROOTS} in their order. Every name passes the boxes' own
 * confinement rules ({@link StoragePaths}) and is kept in its canonical form (one leading
 * slash, no repeated slashes).
 */
@Component
public class PublicNames {

	/**
	 * The names of watched streams' segments start with this; no upload nor local file
	 * may take such a name.
	 */
	public static final String LIVE_PREFIX = "/live/";

	/**
	 * The publisher's own copies of watched streams' files, for viewers no box can serve:
	 * {@code /origin/{stream}/{segment}}.
	 */
	public static final String LIVE_ORIGIN_PREFIX = "/origin/";

	private static final String REDIRECT_PREFIX = "/r";

	private final Path uploads;

	private final List<Path> roots;

	PublicNames(PublisherProperties properties, NodeId nodeId) {
		this.uploads = StoragePaths.publisherDirectory(properties.uploadsRoot(), nodeId.value());
		List<Path> roots = new ArrayList<>();
		roots.add(this.uploads);
		properties.allowedRoots().forEach((root) -> roots.add(root.toAbsolutePath().normalize()));
		this.roots = List.copyOf(roots);
	}

	/**
	 * Checks a name taken from a request or a task.
	 * @param name the name, e.g. {@code /videos/intro.mp4}
	 * @return its canonical form
	 * @throws IllegalArgumentException when a box would refuse it as a {@code FILE_PATH}
	 */
	public static String canonical(String name) {
		try {
			return StoragePaths.canonical(name);
		}
		catch (PathRefusedException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	/**
	 * Checks a name a caster gives a file: an upload's path, or a local file's path below
	 * its root.
	 * @param name the name
	 * @return its canonical form
	 * @throws IllegalArgumentException when a box would refuse it, or it is reserved for
	 * the watched streams
	 */
	public static String ofFile(String name) {
		String canonical = canonical(name);
		if (canonical.startsWith(LIVE_PREFIX)) {
			throw new IllegalArgumentException("Names under " + LIVE_PREFIX + " are reserved for the watched streams");
		}
		return canonical;
	}

	/**
	 * The name of a segment (or playlist) of a watched stream.
	 * @param relativePath its path relative to the watch directory, e.g.
	 * {@code demo/3.ts}
	 * @return e.g. {@code /live/demo/3.ts}
	 * @throws IllegalArgumentException when a box would refuse it
	 */
	public static String ofLiveFile(String relativePath) {
		return canonical(LIVE_PREFIX + relativePath);
	}

	/**
	 * The publisher's redirect to the best box holding a file.
	 * @param name the file's name
	 * @return {@code /r{name}}, percent-encoded
	 */
	public static String redirect(String name) {
		return REDIRECT_PREFIX + encode(name);
	}

	/**
	 * The publisher's own copy of a watched stream's file.
	 * @param relativePath its path relative to the watch directory, e.g.
	 * {@code demo/3.ts}
	 * @return {@code /origin/demo/3.ts}, percent-encoded
	 */
	public static String liveOrigin(String relativePath) {
		return LIVE_ORIGIN_PREFIX + encode(relativePath);
	}

	/**
	 * A name as the path of a URL.
	 * @param name the name
	 * @return the name, percent-encoded where a URL path needs it
	 */
	public static String encode(String name) {
		return UriUtils.encodePath(name, StandardCharsets.UTF_8);
	}

	/**
	 * The name of a local file queued by its path: its path below the first root that
	 * holds it. Lexical: symbolic links are the caller's business.
	 * @param localPath the file's absolute, normalised path
	 * @return its name
	 * @throws IllegalArgumentException when the path is not absolute and normalised, is
	 * below no root, or its name would be refused or is reserved
	 */
	public String ofLocalFile(String localPath) {
		Path path = localPath(localPath);
		Path root = rootOf(path)
			.orElseThrow(() -> new IllegalArgumentException("FILE_PATH is outside the allowed directories"));
		List<String> names = new ArrayList<>();
		root.relativize(path).forEach((name) -> names.add(name.toString()));
		return ofFile("/" + String.join("/", names));
	}

	/**
	 * The root a local file's name is taken from.
	 * @param path the file's absolute, normalised path
	 * @return the first root holding it, if any
	 */
	public Optional<Path> rootOf(Path path) {
		return this.roots.stream().filter((root) -> path.startsWith(root) && !path.equals(root)).findFirst();
	}

	/**
	 * The directory uploads are stored in.
	 * @return {@code <base-directory>/uploads/<publisher-id>}
	 */
	public Path uploadsDirectory() {
		return this.uploads;
	}

	/**
	 * Where an upload is stored: {@code <base-directory>/uploads/<publisher-id>{name}}.
	 * @param name the upload's name
	 * @return the file
	 * @throws IllegalArgumentException when the name is refused
	 */
	public Path uploadFile(String name) {
		try {
			return StoragePaths.resolve(this.uploads.getParent(), this.uploads.getFileName().toString(), ofFile(name));
		}
		catch (PathRefusedException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	private static Path localPath(String localPath) {
		if (localPath.indexOf('\0') >= 0 || !localPath.startsWith("/")) {
			throw new IllegalArgumentException("FILE_PATH must be an absolute path");
		}
		Path path;
		try {
			path = Path.of(localPath);
		}
		catch (InvalidPathException ex) {
			throw new IllegalArgumentException("FILE_PATH is not a path");
		}
		if (!path.normalize().equals(path) || localPath.contains("/./") || localPath.contains("/../")
				|| localPath.endsWith("/..") || localPath.endsWith("/.") || localPath.endsWith("/")) {
			throw new IllegalArgumentException("FILE_PATH must be normalised (no '.' or '..')");
		}
		return path;
	}

}
