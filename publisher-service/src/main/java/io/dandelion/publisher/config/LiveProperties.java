package io.dandelion.publisher.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.dandelion.publisher.config.PublisherProperties;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the live HLS feature: the nested group {@code publisher.live.*} of
 * {@code PublisherProperties} (keys {@code PUBLISHER_WATCH_DIRS},
 * {@code HLS_SEGMENT_TTL}, {@code LIVE_SEGMENT_URLS} and {@code HLS_HOLD_BACK}).
 *
 * @param watchDirs directories an encoder writes HLS into, one sub-directory per stream;
 * empty turns the feature off. Made absolute and normalised; a segment's public name is
 * its path relative to its watch directory under {@code /live/}, never its local path
 * @param hlsSegmentTtl how long boxes keep a live segment
 * @param segmentUrls where the rewritten playlists send viewers for a stored segment
 * @param holdBack how long a live playlist leaves out its newest segments while no box
 * stores them yet, so that players near the live edge fetch them from a box rather than
 * the origin; older unstored segments are listed with their origin URL. Zero turns it off
 * @param rescanPeriod time between two full scans of the watch directories, the safety
 * net behind file system events
 */
public record LiveProperties(@DefaultValue List<Path> watchDirs, @DefaultValue("60s") @NotNull Duration hlsSegmentTtl,
		@DefaultValue("redirect") @NotNull SegmentUrls segmentUrls,
		@DefaultValue("4s") @NotNull @DurationMin(millis = 0) Duration holdBack,
		@DefaultValue("5s") @NotNull @DurationMin(millis = 10) Duration rescanPeriod) {

	public LiveProperties {
		watchDirs = watchDirs.stream().map((dir) -> dir.toAbsolutePath().normalize()).distinct().toList();
	}

	/**
	 * Where a playlist points at a segment that a box stores.
	 */
	public enum SegmentUrls {

		/**
		 * Straight at one box replica's URL, the same while that box lives; when it dies
		 * the URI changes, which hls.js takes for a broken playlist.
		 */
		BOX,

		/**
		 * At the publisher's redirect {@code /r/live/{path}}, which picks the viewer's
		 * nearest live box per request: a URI that never changes, whichever box dies.
		 */
		REDIRECT

	}

}
