package io.dandelion.publisher.live;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.dandelion.publisher.live.HlsPlaylist.Reference;
import io.dandelion.publisher.live.LiveProperties.SegmentUrls;

import org.springframework.web.util.UriUtils;

/**
 * Rewrites an encoder's playlist for viewers, per request and without touching the file:
 * a segment a box stores points at the box (or at the publisher's redirect), any other
 * segment at the publisher's own origin copy {@code /origin/{path}}, and a variant
 * playlist at {@code /live/{path}}. URIs that name no file in the watch directory are
 * kept as written. Pure: the replicas are looked up beforehand.
 */
final class PlaylistRewriter {

	static final String LIVE_PREFIX = "/live/";

	static final String ORIGIN_PREFIX = "/origin/";

	static final String REDIRECT_PREFIX = "/r";

	private final SegmentUrls segmentUrls;

	PlaylistRewriter(SegmentUrls segmentUrls) {
		this.segmentUrls = Objects.requireNonNull(segmentUrls, "segmentUrls");
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
	 * Rewrites a playlist.
	 * @param playlist the playlist as the encoder wrote it
	 * @param at where it is, relative to its watch directory
	 * @param watchDir the watch directory, absolute (for {@code FILE_PATH}s)
	 * @param replicas the box replica of each stored media file; files without one are
	 * not stored yet
	 * @return the playlist to serve
	 */
	String rewrite(HlsPlaylist playlist, LivePath at, Path watchDir, Map<LivePath, URI> replicas) {
		return playlist.render((reference) -> {
			Optional<LivePath> file = at.resolve(reference.uri());
			if (file.isEmpty()) {
				return reference.uri();
			}
			if (!reference.isMedia()) {
				return LIVE_PREFIX + encode(file.get().toString());
			}
			URI replica = replicas.get(file.get());
			if (replica == null) {
				return ORIGIN_PREFIX + encode(file.get().toString());
			}
			return switch (this.segmentUrls) {
				case BOX -> replica.toString();
				case REDIRECT -> REDIRECT_PREFIX + encode(file.get().in(watchDir).toString());
			};
		});
	}

	private static String encode(String path) {
		return UriUtils.encodePath(path, StandardCharsets.UTF_8);
	}

}
