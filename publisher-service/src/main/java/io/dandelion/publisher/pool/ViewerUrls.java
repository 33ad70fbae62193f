package io.dandelion.publisher.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.security.SecurityProperties;

import org.springframework.stereotype.Component;

/**
 * The URLs of this publisher's files on boxes, as they leave the publisher: in redirects,
 * rewritten playlists, the file API, and its own fetch-back of copies. With
 * {@code SIGNED_VIEWER_URLS} each is signed ({@link ViewerUrlSignature},
 * {@code ?md5=…&expires=…}) when the box's {@code URL_SECRET} is known; a box the
 * entrances gave no secret for (an original one, compatible mode) gets the plain URL.
 * <p>
 * A signed URL stays valid for at most {@code VIEWER_URL_TTL} and for more than half of
 * it. Its expiry is a point on a grid of half-TTL steps anchored at the moment the box
 * stored the file, so that a file's URL stays the same for half a TTL at a time, the
 * first half after storing included: a live segment keeps its URL from one playlist
 * reload to the next.
 */
@Component
public class ViewerUrls {

	private final String publisherId;

	private final boolean signing;

	private final Duration ttl;

	private final Clock clock;

	ViewerUrls(NodeId nodeId, SecurityProperties security, PublisherProperties properties, Clock clock) {
		this.publisherId = nodeId.value();
		this.signing = security.signedViewerUrls();
		this.ttl = properties.security().viewerUrlTtl();
		this.clock = clock;
	}

	/**
	 * Where viewers fetch a file from a box.
	 * @param box the box
	 * @param name the file's public name (its {@code FILE_PATH})
	 * @param storedAt when the box stored the file, the anchor of the URL's expiry
	 * @return {@code http(s)://{ip}:{data port}/{publisher-id}{name}}, percent-encoded,
	 * and signed when the box's URL secret is known and signing is on
	 */
	public String of(BoxCandidate box, String name, Instant storedAt) {
		String url = box.fileUrl(this.publisherId, name);
		if (!this.signing || box.urlSecret() == null) {
			return url;
		}
		Instant expiresAt = expiry(storedAt, this.clock.instant(), this.ttl);
		return url + "?"
				+ ViewerUrlSignature.query(BoxCandidate.filePath(this.publisherId, name), expiresAt, box.urlSecret());
	}

	/**
	 * The expiry of a URL signed now: {@code storedAt + ttl + k × ttl/2} for the one
	 * whole {@code k} that puts it more than half a TTL and at most a TTL from now.
	 * @param storedAt the anchor
	 * @param now the clock
	 * @param ttl the longest validity
	 * @return the expiry, in whole seconds
	 */
	static Instant expiry(Instant storedAt, Instant now, Duration ttl) {
		long step = ttl.toMillis() / 2;
		long steps = Math.floorDiv(now.toEpochMilli() - storedAt.toEpochMilli(), step);
		long expiresMillis = storedAt.toEpochMilli() + ttl.toMillis() + steps * step;
		// secure_link compares whole seconds: rounding down keeps "at most a TTL"
		return Instant.ofEpochSecond(Math.floorDiv(expiresMillis, 1000));
	}

}
