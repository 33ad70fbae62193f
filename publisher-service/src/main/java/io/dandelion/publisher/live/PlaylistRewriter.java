package io.dandelion.publisher.live;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.dandelion.publisher.config.LiveProperties.SegmentUrls;
import io.dandelion.publisher.config.LiveProperties;
import io.dandelion.publisher.live.HlsPlaylist.Reference;
import io.dandelion.publisher.publish.PublicNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites an encoder's playlist for viewers, per request and without touching the file:
 * a segment a box stores points at the box (or at the publisher's redirect
 * {@code /r/live/{path}}, by the segment's public name), any other segment at the
 * publisher's own origin copy {@code /origin/{path}}, and a variant playlist at
 * {@code /live/{path}}. Every URI is built from paths relative to the watch directory,
 * which itself never appears. URIs that name no file in the watch directory are kept as
 * written. Pure: the replicas and the files' ages are looked up beforehand.
 * <p>
 * Hold-back: a live media playlist leaves out its trailing run of segments that no box
 * stores yet and that are younger than the hold-back, since players play near the live
 * edge and would otherwise fetch the newest segment from the origin in the few hundred
 * milliseconds before a box acknowledges it. An older unstored segment is listed with its
 * origin URL, so a stream no box stores still plays, after a delay of the hold-back.
 */
final class PlaylistRewriter {

	private static final Logger logger = LoggerFactory.getLogger(PlaylistRewriter.class);

	private final SegmentUrls segmentUrls;

	private final Duration holdBack;

	/**
	 * Creates a rewriter.
	 * @param segmentUrls where stored segments point
	 * @param holdBack the age under which a trailing unstored segment is left out; zero
	 * turns the hold-back off
	 */
	PlaylistRewriter(SegmentUrls segmentUrls, Duration holdBack) {
		this.segmentUrls = Objects.requireNonNull(segmentUrls, "segmentUrls");
		this.holdBack = Objects.requireNonNull(holdBack, "holdBack");
		if (holdBack.isNegative()) {
			throw new IllegalArgumentException("Negative hold-back: " + holdBack);
		}
	}

	/**
	 * The media files (segments and initialisation segments) a playlist lists, each once,
	 * in order.
	 * @param playlist the playlist
	 * @param at where the playlist is, relative to its watch directory
	 * @return the files, relative to the same watch directory
	 */
	static Set<LivePath> mediaFiles(HlsPlaylist playlist, LivePath at) {
		Set<LivePath> files = new LinkedHashSet<>();
		for (Reference reference : playlist.references()) {
			if (reference.isMedia()) {
				at.resolve(reference.uri()).ifPresent(files::add);
			}
		}
		return files;
	}

	/**
	 * Whether this rewriter may hold back segments of a playlist: the hold-back is on and
	 * the playlist is a live media playlist without low-latency parts (whose parts of the
	 * next segment come after the last whole one). The ages of its files only matter
	 * then.
	 * @param playlist the playlist
	 * @return {@code true} when trailing segments may be left out
	 */
	boolean mayHoldBack(HlsPlaylist playlist) {
		return !this.holdBack.isZero() && playlist.isLive() && !playlist.hasParts();
	}

	/**
	 * How many segments at the end of a playlist are held back: the trailing run of
	 * segments that no box stores and that are younger than the hold-back, each in a file
	 * of its own. It may be all of them: players retry an empty live playlist, and the
	 * run ends within the hold-back anyway.
	 * @param playlist the playlist as the encoder wrote it
	 * @param at where it is, relative to its watch directory
	 * @param replicas the box replica of each stored media file
	 * @param ages how long ago each unstored media file was last modified; a file without
	 * an age (gone, or unreadable) counts as old
	 * @return the number of segments left out, from the end
	 */
	int heldBack(HlsPlaylist playlist, LivePath at, Map<LivePath, URI> replicas, Map<LivePath, Duration> ages) {
		if (!mayHoldBack(playlist)) {
			return 0;
		}
		List<Optional<LivePath>> files = playlist.segments()
			.stream()
			.map((segment) -> at.resolve(segment.uri()))
			.toList();
		int held = 0;
		for (int i = files.size() - 1; i >= 0; i--) {
			Optional<LivePath> file = files.get(i);
			// A file that several segments share (byte ranges of one growing file) is
			// dated by its last write, not by this segment's end: holding it could hold
			// the stream for as long as the file grows
			if (file.isEmpty() || replicas.containsKey(file.get()) || !isYoung(ages.get(file.get()))
					|| Collections.frequency(files, file) > 1) {
				break;
			}
			held++;
		}
		return held;
	}

	private boolean isYoung(Duration age) {
		// A file dated in the future (the encoder's clock ahead of ours) is young only
		// within the hold-back too: no clock skew may hold a segment for long
		return age != null && age.compareTo(this.holdBack) < 0 && age.compareTo(this.holdBack.negated()) > 0;
	}

	/**
	 * Rewrites a playlist, leaving out the segments {@link #heldBack held back}.
	 * {@code #EXT-X-MEDIA-SEQUENCE} and {@code #EXT-X-DISCONTINUITY-SEQUENCE} stay right
	 * since only segments at the end are left out.
	 * @param playlist the playlist as the encoder wrote it
	 * @param at where it is, relative to its watch directory
	 * @param replicas the box replica of each stored media file; files without one are
	 * not stored yet
	 * @param ages how long ago each unstored media file was last modified; a file without
	 * an age counts as old
	 * @return the playlist to serve
	 */
	String rewrite(HlsPlaylist playlist, LivePath at, Map<LivePath, URI> replicas, Map<LivePath, Duration> ages) {
		int held = heldBack(playlist, at, replicas, ages);
		if (held > 0) {
			logger.debug("Holding back the last {} of {} segments of {}: no box stores them yet", held,
					playlist.segments().size(), at);
		}
		return playlist.withoutLastSegments(held).render((reference) -> {
			Optional<LivePath> file = at.resolve(reference.uri());
			if (file.isEmpty()) {
				return reference.uri();
			}
			if (!reference.isMedia()) {
				return PublicNames.LIVE_PREFIX + PublicNames.encode(file.get().toString());
			}
			URI replica = replicas.get(file.get());
			if (replica == null) {
				return PublicNames.liveOrigin(file.get().toString());
			}
			return switch (this.segmentUrls) {
				case BOX -> replica.toString();
				case REDIRECT -> PublicNames.redirect(file.get().publicName());
			};
		});
	}

}
