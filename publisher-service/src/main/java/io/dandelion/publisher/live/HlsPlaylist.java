package io.dandelion.publisher.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS playlist (master or media) read line by line, with every URI it holds: segment
 * lines, variant lines, and the {@code URI="..."} attribute of tags such as
 * {@code #EXT-X-MAP}. Everything else is kept as written, so that {@link #render} changes
 * only the URIs. Line ends may be LF or CRLF; the rendering uses LF.
 */
final class HlsPlaylist {

	/** Tags whose {@code URI} attribute names a file, and what kind of file. */
	private static final Map<String, Kind> URI_TAGS = Map.of("EXT-X-MAP", Kind.INIT, "EXT-X-PART", Kind.SEGMENT,
			"EXT-X-PRELOAD-HINT", Kind.SEGMENT, "EXT-X-MEDIA", Kind.PLAYLIST, "EXT-X-I-FRAME-STREAM-INF", Kind.PLAYLIST,
			"EXT-X-RENDITION-REPORT", Kind.PLAYLIST);

	private static final Pattern URI_ATTRIBUTE = Pattern.compile("(?<=[:,])URI=\"([^\"]*)\"");

	private static final Pattern LINE_END = Pattern.compile("\r\n|\r|\n");

	private final List<Line> lines;

	private final boolean master;

	private HlsPlaylist(List<Line> lines, boolean master) {
		this.lines = lines;
		this.master = master;
	}

	/**
	 * Reads a playlist.
	 * @param text the whole playlist, as read once from its file
	 * @return the playlist
	 */
	static HlsPlaylist parse(String text) {
		String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
		String[] rawLines = LINE_END.split(body, -1);
		boolean master = false;
		for (String line : rawLines) {
			master |= line.startsWith("#EXT-X-STREAM-INF") || line.startsWith("#EXT-X-I-FRAME-STREAM-INF");
		}
		int count = rawLines.length;
		// A final line end leaves one empty element behind
		while (count > 0 && rawLines[count - 1].isBlank()) {
			count--;
		}
		List<Line> lines = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			lines.add(line(rawLines[i].stripTrailing(), master));
		}
		return new HlsPlaylist(List.copyOf(lines), master);
	}

	private static Line line(String text, boolean master) {
		if (text.isEmpty()) {
			return new Line(text, null, null);
		}
		if (text.startsWith("#")) {
			int colon = text.indexOf(':');
			Kind kind = (colon > 1) ? URI_TAGS.get(text.substring(1, colon)) : null;
			if (kind != null) {
				Matcher matcher = URI_ATTRIBUTE.matcher(text);
				if (matcher.find()) {
					return new Line(text, new Reference(kind, matcher.group(1)), matcher.toMatchResult());
				}
			}
			return new Line(text, null, null);
		}
		// A URI line: a variant in a master playlist, else a media segment
		Kind kind = (master || text.strip().toLowerCase(Locale.ROOT).endsWith(".m3u8")) ? Kind.PLAYLIST : Kind.SEGMENT;
		return new Line(text, new Reference(kind, text.strip()), null);
	}

	/**
	 * Whether this is a master playlist (it lists variant streams).
	 * @return {@code true} for a master playlist
	 */
	boolean isMaster() {
		return this.master;
	}

	/**
	 * Every URI in the playlist, in order.
	 * @return the references
	 */
	List<Reference> references() {
		return this.lines.stream().map(Line::reference).filter(Objects::nonNull).toList();
	}

	/**
	 * Writes the playlist with each URI replaced.
	 * @param rewrite gives each reference its new URI
	 * @return the playlist text, LF line ends, ending with a line end
	 */
	String render(Function<Reference, String> rewrite) {
		StringBuilder text = new StringBuilder();
		for (Line line : this.lines) {
			if (line.reference() == null) {
				text.append(line.text());
			}
			else if (line.attribute() == null) {
				text.append(rewrite.apply(line.reference()));
			}
			else {
				text.append(line.text(), 0, line.attribute().start(1))
					.append(rewrite.apply(line.reference()))
					.append(line.text(), line.attribute().end(1), line.text().length());
			}
			text.append('\n');
		}
		return text.toString();
	}

	/**
	 * What a URI in a playlist names.
	 */
	enum Kind {

		/** A media segment (or a part of one). */
		SEGMENT,

		/** An initialisation segment ({@code #EXT-X-MAP}). */
		INIT,

		/** Another playlist (a variant or rendition). */
		PLAYLIST

	}

	/**
	 * One URI of a playlist.
	 *
	 * @param kind what it names
	 * @param uri the URI as written
	 */
	record Reference(Kind kind, String uri) {

		/**
		 * Whether it names a media file (segment or initialisation segment).
		 * @return {@code true} unless it names a playlist
		 */
		boolean isMedia() {
			return this.kind != Kind.PLAYLIST;
		}

	}

	private record Line(String text, Reference reference, MatchResult attribute) {

	}

}
