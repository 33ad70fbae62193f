package io.dandelion.publisher.live;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.dandelion.publisher.publish.PublicNames;

/**
 * A file's path relative to a watch directory, as the live URLs carry it
 * ({@code demo/index.m3u8}, {@code demo/3.ts}). Every name is non-empty, neither
 * {@code .} nor {@code ..}, and free of back-slashes, percent signs and control
 * characters, so a value can never leave its watch directory, however it was encoded in
 * the request.
 *
 * @param names the path's names, at least one
 */
record LivePath(List<String> names) {

	LivePath {
		names = List.copyOf(names);
		if (names.isEmpty() || !names.stream().allMatch(LivePath::isSafeName)) {
			throw new IllegalArgumentException("Not a safe relative path: " + names);
		}
	}

	/**
	 * Reads a path taken from a request, e.g. the {@code {*path}} of
	 * {@code /live/{*path}} (already decoded once by the framework).
	 * @param text the path, with or without a leading slash
	 * @return the path, or empty when it is empty or any name is unsafe (including
	 * {@code ..})
	 */
	static Optional<LivePath> parse(String text) {
		String trimmed = text.startsWith("/") ? text.substring(1) : text;
		List<String> names = Arrays.asList(trimmed.split("/", -1));
		if (trimmed.isEmpty() || !names.stream().allMatch(LivePath::isSafeName)) {
			return Optional.empty();
		}
		return Optional.of(new LivePath(names));
	}

	/**
	 * The path of a file inside a watch directory.
	 * @param watchDir the watch directory
	 * @param file a file inside it
	 * @return the relative path, or empty when the file is not inside or has an unsafe
	 * name
	 */
	static Optional<LivePath> relative(Path watchDir, Path file) {
		if (!file.startsWith(watchDir) || file.equals(watchDir)) {
			return Optional.empty();
		}
		List<String> names = new ArrayList<>();
		watchDir.relativize(file).forEach((name) -> names.add(name.toString()));
		return names.stream().allMatch(LivePath::isSafeName) ? Optional.of(new LivePath(names)) : Optional.empty();
	}

	/**
	 * Resolves a URI written in the playlist at this path. A relative reference is taken
	 * relative to the playlist's directory and may not climb out of the watch directory.
	 * An absolute one (a URL, or a path starting with {@code /}, as nginx-rtmp's
	 * {@code hls_base_url} and ffmpeg's {@code -hls_base_url} write them) is taken by its
	 * last name as a file beside the playlist.
	 * @param reference the URI as written
	 * @return the file's path, or empty when the reference cannot name a file here
	 */
	Optional<LivePath> resolve(String reference) {
		String path = pathOf(reference.strip());
		if (path == null || path.isEmpty() || path.endsWith("/")) {
			return Optional.empty();
		}
		List<String> result = new ArrayList<>(this.names.subList(0, this.names.size() - 1));
		if (isAbsolute(reference.strip())) {
			result.add(path.substring(path.lastIndexOf('/') + 1));
		}
		else {
			for (String name : path.split("/")) {
				if (name.equals("..")) {
					if (result.isEmpty()) {
						return Optional.empty();
					}
					result.remove(result.size() - 1);
				}
				else if (!name.isEmpty() && !name.equals(".")) {
					result.add(name);
				}
			}
		}
		return (!result.isEmpty() && result.stream().allMatch(LivePath::isSafeName)) ? Optional.of(new LivePath(result))
				: Optional.empty();
	}

	/**
	 * The file's name, the last name of the path.
	 * @return the name
	 */
	String fileName() {
		return this.names.get(this.names.size() - 1);
	}

	/**
	 * The file's public name: its {@code FILE_PATH} on boxes and its name in URLs, Redis
	 * keys and API answers, e.g. {@code /live/demo/3.ts}. The watch directory is not part
	 * of it.
	 * @return the name
	 * @throws IllegalArgumentException when a box would refuse it (an over-long name)
	 */
	String publicName() {
		return PublicNames.ofLiveFile(toString());
	}

	/**
	 * The file's absolute path in a watch directory, which stays inside the publisher.
	 * @param watchDir an absolute, normalised watch directory
	 * @return the path
	 */
	Path in(Path watchDir) {
		return watchDir.resolve(String.join("/", this.names)).normalize();
	}

	@Override
	public String toString() {
		return String.join("/", this.names);
	}

	private static boolean isAbsolute(String reference) {
		if (reference.startsWith("/")) {
			return true;
		}
		try {
			return new URI(reference).getScheme() != null;
		}
		catch (URISyntaxException ex) {
			// No scheme can be read from it: relative, as players take it
			return false;
		}
	}

	/**
	 * The decoded path of a URI reference without query and fragment; a reference that
	 * does not parse as a URI (e.g. an unencoded space) is taken literally.
	 */
	private static String pathOf(String reference) {
		try {
			URI uri = new URI(reference);
			if (uri.isOpaque()) {
				// data:, mailto: and the like name no file
				return null;
			}
			return uri.getPath();
		}
		catch (URISyntaxException ex) {
			int end = reference.length();
			for (char stop : new char[] { '?', '#' }) {
				int index = reference.indexOf(stop);
				end = (index >= 0) ? Math.min(end, index) : end;
			}
			return reference.substring(0, end);
		}
	}

	private static boolean isSafeName(String name) {
		if (name.isEmpty() || name.equals(".") || name.equals("..")) {
			return false;
		}
		return name.chars().noneMatch((c) -> c < 0x20 || c == 0x7f || c == '\\' || c == '%' || c == ':');
	}

}
