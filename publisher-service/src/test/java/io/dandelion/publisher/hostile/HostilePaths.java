package io.dandelion.publisher.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.dandelion.protocol.testing.SeededCases.Gen;

/**
 * Hostile request paths and what the publisher must make of them. A path is drawn as raw
 * (percent-encoded) segments, each harmless or carrying one hostile feature the generator
 * records; the oracle then decodes it as a server does (matrix parameters cut off, then
 * percent-decoded once, as UTF-8) and applies the rules the README states for names, so
 * that every expected status follows from the case, not from the code under test.
 */
final class HostilePaths {

	/**
	 * Harmless raw segments. Few, so that accepted uploads reuse a small set of names and
	 * the trees the test walks stay small.
	 */
	private static final List<String> SAFE = List.of("a", "b", "%C3%BC", "%E6%97%A5", "a%20b", "x~y-z_1.bin");

	/** Twists that change how a harmless path is spelt, not whether it is allowed. */
	private static final List<String> SAFE_TWISTS = List.of("a;v=1", "a%2Fb", "b:c", "a%3Bb", "%FF", "%C3%28", "a+b",
			"%F0%9F%98%80", "%E2%80%AE");

	private static final List<String> DOT_SEGMENTS = List.of("..", ".", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%2e",
			"%2E", "..;x=1", ".%2E;jsessionid=1");

	private static final List<String> ENCODED_DOT_SEGMENTS = List.of("%252e%252e", "%252e", ".%252e", "%252E.",
			"%252e%252E");

	private static final List<String> ENCODED_SLASH_TRAVERSALS = List.of("a%2f..%2fb", "%2f..%2f..%2fetc%2fpasswd",
			"..%2f", "%2F%2E%2E%2Fx", "x%2F.%2Fy");

	private static final List<String> BACKSLASHES = List.of("%5c", "a%5cb", "..%5c..%5cwin.ini", "%5C");

	private static final List<String> DRIVE_LETTERS = List.of("C:", "c%3a", "Z:evil", "d%3A");

	private static final List<String> TEMP_NAMES = List.of(".dandelion-tmp", ".dandelion-tmpx", ".dandelion-tmp.part",
			".dandelion-ttl-0123456789abcdef0123456789abcdef", ".dandelion-x");

	private static final Pattern ENCODED_DOTS = Pattern.compile("(?:\\.|%2[eE]){1,2}");

	private static final Pattern DRIVE_LETTER = Pattern.compile("[A-Za-z]:.*", Pattern.DOTALL);

	private HostilePaths() {
	}

	/**
	 * Draws a path.
	 * @param gen the case's values
	 * @param marker a harmless segment that makes a refused (or read) name unique
	 * @param alwaysMark whether to add the marker to harmless paths too
	 * @return the path
	 */
	static Drawn draw(Gen gen, String marker, boolean alwaysMark) {
		List<String> raw = new ArrayList<>();
		Set<String> features = new TreeSet<>();
		for (int i = gen.intBetween(1, 3); i > 0; i--) {
			raw.add(gen.chance(0.15) ? gen.oneOf(SAFE_TWISTS) : gen.oneOf(SAFE));
		}
		if (gen.chance(0.1)) {
			// 'a//b' collapses to 'a/b'
			raw.add(gen.intBetween(0, raw.size()), "");
		}
		int hostile = gen.chance(0.2) ? 0 : gen.intBetween(1, 2);
		for (int i = 0; i < hostile; i++) {
			addFeature(gen, raw, features);
		}
		if (alwaysMark || !features.isEmpty()) {
			raw.add(gen.intBetween(1, raw.size()), marker);
		}
		if (gen.chance(0.03)) {
			features.add("too many segments");
			for (int i = gen.intBetween(65, 70); i > 0; i--) {
				raw.add("m");
			}
		}
		if (gen.chance(0.04)) {
			features.add("trailing slash");
			raw.add("");
		}
		return new Drawn("/" + String.join("/", raw), features);
	}

	private static void addFeature(Gen gen, List<String> raw, Set<String> features) {
		int position = gen.intBetween(0, raw.size());
		switch (gen.intBetween(0, 8)) {
			case 0 -> {
				features.add("dot segment");
				raw.add(position, gen.oneOf(DOT_SEGMENTS));
			}
			case 1 -> {
				features.add("doubly encoded dot segment");
				raw.add(position, gen.oneOf(ENCODED_DOT_SEGMENTS));
			}
			case 2 -> {
				features.add("encoded slash traversal");
				raw.add(position, gen.oneOf(ENCODED_SLASH_TRAVERSALS));
			}
			case 3 -> {
				features.add("back-slash");
				raw.add(position, gen.oneOf(BACKSLASHES));
			}
			case 4 -> {
				features.add("control character");
				int control = gen.chance(0.9) ? gen.intBetween(0, 0x1f) : 0x7f;
				String encoded = gen.chance(0.9) ? String.format("%%%02X", control) : gen.oneOf("%C2%85", "%C2%9F");
				raw.add(position, "c" + encoded + "c");
			}
			case 5 -> {
				features.add("drive letter");
				raw.add(0, gen.oneOf(DRIVE_LETTERS));
			}
			case 6 -> {
				features.add("reserved name");
				raw.add(position, gen.oneOf(TEMP_NAMES));
			}
			case 7 -> {
				features.add("segment over 255 bytes");
				raw.add(position,
						gen.bool() ? "l".repeat(gen.intBetween(256, 300)) : "%C3%BC".repeat(gen.intBetween(128, 140)));
			}
			default -> {
				features.add("name under /live/");
				raw.add(0, gen.oneOf("live", "%6Cive", "live;x=1"));
				if (raw.size() < 2) {
					raw.add("a");
				}
			}
		}
	}

	/**
	 * How a server reads a raw path: each segment without its matrix parameters,
	 * percent-decoded once as UTF-8 (malformed bytes become U+FFFD), joined again.
	 * @param rawPath the raw path, starting with a slash
	 * @return the decoded path
	 */
	static String decode(String rawPath) {
		StringBuilder decoded = new StringBuilder();
		for (String segment : rawPath.substring(1).split("/", -1)) {
			int semicolon = segment.indexOf(';');
			decoded.append('/').append(percentDecode((semicolon >= 0) ? segment.substring(0, semicolon) : segment));
		}
		return decoded.toString();
	}

	private static String percentDecode(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
				bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else {
				bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static boolean isHex(char c) {
		return Character.digit(c, 16) >= 0;
	}

	/**
	 * Why a box refuses a decoded name, by the README's rules (Public names, Validation).
	 * @param name the decoded name
	 * @return the reason, {@code null} when a box takes it
	 */
	static String boxRefusal(String name) {
		if (name.getBytes(StandardCharsets.UTF_8).length > 4096) {
			return "path over 4096 bytes";
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isISOControl(c)) {
				return "control character";
			}
			if (c == '\\') {
				return "back-slash";
			}
		}
		String relative = name.replaceFirst("^/+", "");
		if (relative.isEmpty()) {
			return "names no file";
		}
		if (relative.endsWith("/")) {
			return "trailing slash";
		}
		List<String> segments = new ArrayList<>();
		for (String segment : relative.split("/")) {
			if (segment.isEmpty()) {
				continue;
			}
			if (ENCODED_DOTS.matcher(segment).matches()) {
				return "dot segment";
			}
			if (segment.startsWith(".dandelion-")) {
				return "reserved name";
			}
			if (segment.getBytes(StandardCharsets.UTF_8).length > 255) {
				return "segment over 255 bytes";
			}
			segments.add(segment);
		}
		if (segments.size() > 64) {
			return "too many segments";
		}
		if (DRIVE_LETTER.matcher(segments.get(0)).matches()) {
			return "drive letter";
		}
		return null;
	}

	/**
	 * The canonical form of a name a box takes: one leading slash, no repeated slashes.
	 * @param name the decoded name
	 * @return the canonical name
	 */
	static String canonical(String name) {
		List<String> segments = new ArrayList<>();
		for (String segment : name.split("/")) {
			if (!segment.isEmpty()) {
				segments.add(segment);
			}
		}
		return "/" + String.join("/", segments);
	}

	/**
	 * Whether a canonical name belongs to the watched streams.
	 * @param canonical the canonical name
	 * @return {@code true} under {@code /live/}
	 */
	static boolean isLiveName(String canonical) {
		return canonical.startsWith("/live/");
	}

	/**
	 * Whether the publisher's live URLs take a decoded path relative to a watch
	 * directory: every name non-empty, neither {@code .} nor {@code ..}, and free of
	 * back-slashes, percent signs, colons and control characters.
	 * @param decoded the path, with a leading slash
	 * @return {@code true} when it is safe
	 */
	static boolean isSafeLivePath(String decoded) {
		String trimmed = decoded.startsWith("/") ? decoded.substring(1) : decoded;
		if (trimmed.isEmpty()) {
			return false;
		}
		for (String name : trimmed.split("/", -1)) {
			if (name.isEmpty() || name.equals(".") || name.equals("..")
					|| name.chars().anyMatch((c) -> c < 0x20 || c == 0x7f || c == '\\' || c == '%' || c == ':')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A drawn path.
	 *
	 * @param raw the path as sent, percent-encoded, starting with a slash
	 * @param features the hostile features the generator put in
	 */
	record Drawn(String raw, Set<String> features) {

		String decoded() {
			return decode(this.raw);
		}

	}

}
