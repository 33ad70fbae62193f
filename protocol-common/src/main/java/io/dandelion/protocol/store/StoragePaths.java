package io.dandelion.protocol.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.store.PathRefusedException.Reason;

/**
 * The single place that decides where a pushed file may land on a box:
 * {@code <root>/<publisher-id>/<FILE_PATH>}. The original stripped one leading slash and
 * nothing else, so {@code ../} wrote anywhere as root; here every path either resolves
 * strictly inside the publisher's directory or is refused with
 * {@link PathRefusedException}.
 */
public final class StoragePaths {

	/** The longest segment accepted, in UTF-8 bytes: the usual file name limit. */
	public static final int MAX_SEGMENT_BYTES = 255;

	/** The longest {@code FILE_PATH} accepted, in UTF-8 bytes: the usual path limit. */
	public static final int MAX_PATH_BYTES = 4096;

	/** The most segments a {@code FILE_PATH} may have. */
	public static final int MAX_SEGMENTS = 64;

	/**
	 * Names starting with this are a node's own files beside the stored ones (temporary
	 * files, {@link ExpirySidecar expiry sidecars}), never a publisher's: a
	 * {@code FILE_PATH} with a segment starting with it is refused, and file servers
	 * never serve such a name.
	 */
	public static final String RESERVED_PREFIX = ".dandelion-";

	/**
	 * Names starting with this are temporary files, deleted when found at start-up.
	 */
	public static final String TEMP_FILE_PREFIX = RESERVED_PREFIX + "tmp";

	private static final Pattern PUBLISHER_ID = Pattern.compile("publisher-[0-9a-f]{32}");

	private static final Pattern DRIVE_LETTER = Pattern.compile("[A-Za-z]:.*", Pattern.DOTALL);

	// '.' or '..' spelt with %2e: a URL built from the name might decode it
	private static final Pattern ENCODED_DOTS = Pattern.compile("(?:\\.|%2[eE]){1,2}");

	private StoragePaths() {
	}

	/**
	 * Resolve where a pushed file lands: leading slashes are stripped, repeated slashes
	 * collapse, and the result is {@code storageRoot/publisherId/<segments>}, strictly
	 * below the publisher's directory. Existing directories on the way must not be
	 * symbolic links, nor may the target itself be one.
	 * @param storageRoot the box's storage root, normalised lexically; it may not exist
	 * yet
	 * @param publisherId the publisher's ID, {@code publisher-} and 32 lowercase hex
	 * digits
	 * @param filePath the {@code FILE_PATH} header, taken literally (no percent-decoding)
	 * @return the normalised target path
	 * @throws PathRefusedException when the ID or path is unsafe or confinement cannot be
	 * proved
	 */
	public static Path resolve(Path storageRoot, String publisherId, String filePath) {
		Objects.requireNonNull(filePath, "filePath must not be null");
		Path publisherDirectory = publisherDirectory(storageRoot, publisherId);
		List<String> segments = segments(filePath);
		Path target = publisherDirectory;
		try {
			for (String segment : segments) {
				target = target.resolve(segment);
			}
		}
		catch (InvalidPathException ex) {
			throw refused(Reason.UNREPRESENTABLE, filePath, "is not a valid path on this file system", ex);
		}
		// Belt and braces: the segment checks already make this impossible
		if (!target.normalize().equals(target) || !target.startsWith(publisherDirectory)
				|| target.equals(publisherDirectory)) {
			throw refused(Reason.OUTSIDE_ROOT, filePath, "resolves outside the publisher's directory", null);
		}
		checkNoLinks(storageRoot.normalize(), publisherId, segments, filePath);
		return target;
	}

	/**
	 * Checks a {@code FILE_PATH} by the same rules as {@link #resolve}, without a file
	 * system (symbolic links aside): for a publisher that names its files before any box
	 * sees them.
	 * @param filePath the {@code FILE_PATH}, taken literally (no percent-decoding)
	 * @return its canonical form, which every box stores at the same place: one leading
	 * slash, repeated slashes collapsed, e.g. {@code /videos/intro.mp4} for
	 * {@code videos//intro.mp4}
	 * @throws PathRefusedException when a box would refuse it
	 */
	public static String canonical(String filePath) {
		Objects.requireNonNull(filePath, "filePath must not be null");
		return "/" + String.join("/", segments(filePath));
	}

	/**
	 * The directory a publisher's files land in, {@code storageRoot/publisherId}.
	 * @param storageRoot the box's storage root, normalised lexically
	 * @param publisherId the publisher's ID, {@code publisher-} and 32 lowercase hex
	 * digits
	 * @return the publisher's directory
	 * @throws PathRefusedException with {@link Reason#BAD_PUBLISHER_ID} when the ID is
	 * malformed
	 */
	public static Path publisherDirectory(Path storageRoot, String publisherId) {
		Objects.requireNonNull(storageRoot, "storageRoot must not be null");
		Objects.requireNonNull(publisherId, "publisherId must not be null");
		if (!PUBLISHER_ID.matcher(publisherId).matches()) {
			throw new PathRefusedException(Reason.BAD_PUBLISHER_ID, "Refused publisher ID "
					+ UntrustedText.quote(publisherId) + ": expected 'publisher-' and 32 lowercase hex digits");
		}
		return storageRoot.normalize().resolve(publisherId);
	}

	/**
	 * Split and check a {@code FILE_PATH}, cheapest checks first so that a hostile
	 * megabyte costs little.
	 */
	private static List<String> segments(String filePath) {
		// UTF-8 bytes >= UTF-16 chars, so this bounds the work below
		if (filePath.length() > MAX_PATH_BYTES) {
			throw refused(Reason.PATH_TOO_LONG, filePath, "is longer than " + MAX_PATH_BYTES + " bytes", null);
		}
		checkCharacters(filePath);
		if (filePath.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
			throw refused(Reason.PATH_TOO_LONG, filePath, "is longer than " + MAX_PATH_BYTES + " bytes", null);
		}
		String relative = filePath.replaceFirst("^/+", "");
		if (relative.isEmpty()) {
			throw refused(Reason.EMPTY_PATH, filePath, "names no file", null);
		}
		if (relative.endsWith("/")) {
			throw refused(Reason.TRAILING_SLASH, filePath, "ends with a slash, so it names a directory", null);
		}
		List<String> segments = new ArrayList<>();
		for (String segment : relative.split("/")) {
			// 'a//b' is 'a/b' to POSIX and the original: collapse, don't refuse
			if (!segment.isEmpty()) {
				checkSegment(segment, filePath);
				segments.add(segment);
			}
		}
		if (segments.size() > MAX_SEGMENTS) {
			throw refused(Reason.TOO_MANY_SEGMENTS, filePath, "has more than " + MAX_SEGMENTS + " segments", null);
		}
		if (DRIVE_LETTER.matcher(segments.get(0)).matches()) {
			throw refused(Reason.DRIVE_LETTER, filePath, "starts with a drive letter", null);
		}
		return segments;
	}

	private static void checkCharacters(String filePath) {
		for (int i = 0; i < filePath.length(); i++) {
			char c = filePath.charAt(i);
			if (Character.isISOControl(c)) {
				throw refused(Reason.CONTROL_CHARACTER, filePath, "contains a control character", null);
			}
			if (c == '\\') {
				throw refused(Reason.BACKSLASH, filePath, "contains a back-slash", null);
			}
			if (Character.isHighSurrogate(c) && i + 1 < filePath.length()
					&& Character.isLowSurrogate(filePath.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw refused(Reason.MALFORMED_UNICODE, filePath, "contains an unpaired surrogate", null);
			}
		}
	}

	private static void checkSegment(String segment, String filePath) {
		if (segment.equals(".") || segment.equals("..")) {
			throw refused(Reason.DOT_SEGMENT, filePath, "contains a '" + segment + "' segment", null);
		}
		if (ENCODED_DOTS.matcher(segment).matches()) {
			throw refused(Reason.ENCODED_DOT_SEGMENT, filePath, "contains a percent-encoded dot segment", null);
		}
		if (segment.startsWith(RESERVED_PREFIX)) {
			throw refused(Reason.RESERVED_NAME, filePath, "uses the reserved prefix " + RESERVED_PREFIX, null);
		}
		if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
			throw refused(Reason.SEGMENT_TOO_LONG, filePath,
					"has a segment longer than " + MAX_SEGMENT_BYTES + " bytes", null);
		}
	}

	/**
	 * Walk from the root towards the target without following links: an existing link
	 * anywhere below the root could point outside it. Then compare real paths as a second
	 * line of defence, for redirections that are not reported as symbolic links (Windows
	 * junctions). This is a check at one instant: the box must still write without
	 * following links (temporary file, then move) to close the race.
	 */
	private static void checkNoLinks(Path root, String publisherId, List<String> segments, String filePath) {
		// Nothing can exist, let alone be a link, below a root that does not exist yet
		if (!Files.exists(root)) {
			return;
		}
		try {
			Path realRoot = root.toRealPath();
			Path current = root.resolve(publisherId);
			Path deepestExisting = root;
			for (int i = -1; i < segments.size(); i++) {
				if (i >= 0) {
					current = current.resolve(segments.get(i));
				}
				if (Files.isSymbolicLink(current)) {
					throw refused(Reason.SYMBOLIC_LINK, filePath, "passes through the symbolic link "
							+ UntrustedText.quote(root.relativize(current).toString()), null);
				}
				if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
					break;
				}
				deepestExisting = current;
			}
			if (!realPathOfDeepestExisting(deepestExisting, root).startsWith(realRoot)) {
				throw refused(Reason.OUTSIDE_ROOT, filePath, "resolves outside the storage root", null);
			}
		}
		catch (IOException | SecurityException ex) {
			throw refused(Reason.UNVERIFIABLE, filePath, "could not be checked against the file system", ex);
		}
	}

	/**
	 * The real path of the deepest directory found, or of its nearest ancestor that still
	 * exists: a box's expiry sweeper may remove an emptied directory just after it was
	 * found, which is no reason to refuse a path.
	 */
	private static Path realPathOfDeepestExisting(Path deepestExisting, Path root) throws IOException {
		for (Path current = deepestExisting;; current = current.getParent()) {
			try {
				return current.toRealPath();
			}
			catch (NoSuchFileException ex) {
				if (current.equals(root)) {
					throw ex;
				}
			}
		}
	}

	private static PathRefusedException refused(Reason reason, String filePath, String why, Throwable cause) {
		return new PathRefusedException(reason, "Refused FILE_PATH " + UntrustedText.quote(filePath) + ": it " + why,
				cause);
	}

}
