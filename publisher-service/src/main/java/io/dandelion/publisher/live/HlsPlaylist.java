package io.dandelion.publisher.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS playlist (master or media) read line by line, with every URI it holds: segment
 * lines, variant lines, and the {@code URI="..."} attribute of tags such as
 * {@code #EXT-X-MAP}. Everything else is kept as written, so that {@link #render} changes
 * only the URIs. Line ends may be LF or CRLF; the rendering uses LF.
 * <p>
 * In a media playlist the lines of a segment are everything after the previous segment's
 * URI line up to and including its own URI line (its {@code #EXTINF}, and any
 * {@code #EXT-X-DISCONTINUITY}, {@code #EXT-X-PROGRAM-DATE-TIME},
 * {@code #EXT-X-BYTERANGE}, {@code #EXT-X-KEY} or {@code #EXT-X-MAP} written before it),
 * except the tags that describe the whole playlist.
 */
final class HlsPlaylist {

	/** Tags whose {@code URI} attribute names a file, and what kind of file. */
	private static final Map<String, Kind> URI_TAGS = Map.of("EXT-X-MAP", Kind.INIT, "EXT-X-PART", Kind.SEGMENT,
			"EXT-X-PRELOAD-HINT", Kind.SEGMENT, "EXT-X-MEDIA", Kind.PLAYLIST, "EXT-X-I-FRAME-STREAM-INF", Kind.PLAYLIST,
			"EXT-X-RENDITION-REPORT", Kind.PLAYLIST);

	/**
	 * Tags that describe the whole playlist, never one segment, wherever they are written
	 * (in practice in the header, which so belongs to no segment).
	 */
	private static final Set<String> PLAYLIST_TAGS = Set.of("EXTM3U", "EXT-X-VERSION", "EXT-X-TARGETDURATION",
			"EXT-X-MEDIA-SEQUENCE", "EXT-X-DISCONTINUITY-SEQUENCE", "EXT-X-PLAYLIST-TYPE", "EXT-X-ENDLIST",
			"EXT-X-I-FRAMES-ONLY", "EXT-X-INDEPENDENT-SEGMENTS", "EXT-X-START", "EXT-X-DEFINE", "EXT-X-SERVER-CONTROL",
			"EXT-X-PART-INF", "EXT-X-ALLOW-CACHE");

	/**
	 * Tags of low-latency HLS: a playlist with them lists parts of unfinished segments.
	 */
	private static final Set<String> PART_TAGS = Set.of("EXT-X-PART", "EXT-X-PART-INF");

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
	 * Whether this media playlist is still growing: it is not a master playlist and has
	 * no {@code #EXT-X-ENDLIST}, so the encoder may append segments to it.
	 * @return {@code true} for a live media playlist
	 */
	boolean isLive() {
		return !this.master && this.lines.stream().noneMatch((line) -> "EXT-X-ENDLIST".equals(tagName(line.text())));
	}

	/**
	 * Whether this is a low-latency playlist, listing parts ({@code #EXT-X-PART}) besides
	 * whole segments.
	 * @return {@code true} when it has part tags
	 */
	boolean hasParts() {
		return this.lines.stream().anyMatch((line) -> PART_TAGS.contains(tagName(line.text())));
	}

	/**
	 * The segments of a media playlist, in order: the URI of each URI line.
	 * @return the segments; none for a master playlist
	 */
	List<Reference> segments() {
		if (this.master) {
			return List.of();
		}
		return this.lines.stream().filter(Line::isUriLine).map(Line::reference).toList();
	}

	/**
	 * The playlist without its last segments and the lines that belong to them (see the
	 * type's description); all other lines are kept as written, and so are lines after
	 * the last URI line, which belong to no listed segment.
	 * @param count how many segments to leave out, from the end
	 * @return the shorter playlist, or this one when {@code count} is 0
	 */
	HlsPlaylist withoutLastSegments(int count) {
		List<Integer> uriLines = new ArrayList<>();
		for (int i = 0; i < this.lines.size(); i++) {
			if (this.lines.get(i).isUriLine()) {
				uriLines.add(i);
			}
		}
		if (count < 0 || count > uriLines.size()) {
			throw new IllegalArgumentException("Cannot leave out " + count + " of " + uriLines.size() + " segments");
		}
		if (count == 0 || this.master) {
			return this;
		}
		int keptUntil = (count < uriLines.size()) ? uriLines.get(uriLines.size() - count - 1) : -1;
		int lastUriLine = uriLines.get(uriLines.size() - 1);
		List<Line> kept = new ArrayList<>(this.lines.size());
		for (int i = 0; i < this.lines.size(); i++) {
			Line line = this.lines.get(i);
			if (i <= keptUntil || i > lastUriLine || PLAYLIST_TAGS.contains(tagName(line.text()))) {
				kept.add(line);
			}
		}
		return new HlsPlaylist(List.copyOf(kept), false);
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

	/**
	 * A tag's name ({@code EXT-X-KEY} for {@code #EXT-X-KEY:METHOD=NONE}); empty for a
	 * URI, a comment or a blank line (never null: {@code Set.of(...)} refuses to look it
	 * up).
	 */
	private static String tagName(String text) {
		if (!text.startsWith("#EXT")) {
			return "";
		}
		int colon = text.indexOf(':');
		return text.substring(1, (colon > 0) ? colon : text.length());
	}

	private record Line(String text, Reference reference, MatchResult attribute) {

		/** A line that is a URI by itself: a segment, or a variant of a master. */
		boolean isUriLine() {
			return this.reference != null && this.attribute == null;
		}

	}

}
