package io.dandelion.publisher.config;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ConfigKey;
import io.dandelion.support.config.ValueType;

/**
 * The keys of {@code config.yaml} only the publisher reads, each with the
 * {@link PublisherProperties} setting it sets; the keys it shares with other roles are in
 * {@code SharedConfigKeys}. Defaults are the records' {@code @DefaultValue}s, or the
 * Spring defaults of {@code application.yml}; a key states its default only when neither
 * holds one.
 */
public final class PublisherConfigKeys {

	/** Token of the publisher's REST calls that change state (new). */
	public static final ConfigKey PUBLISHER_API_TOKEN = key("PUBLISHER_API_TOKEN", ValueType.string(),
			"Bearer token that the publisher's REST calls changing state need (PUT and POST of files): "
					+ "Authorization: Bearer TOKEN; none refuses them in strict mode (new).",
			"publisher.security.api-token")
		.defaultValue("none")
		.example("change-me-to-a-long-random-string");

	/** Lifetime of signed viewer URLs (new). */
	public static final ConfigKey VIEWER_URL_TTL = key("VIEWER_URL_TTL", ValueType.seconds(),
			"Seconds a signed viewer URL (a redirect to a box, a segment URL in a rewritten playlist) stays valid "
					+ "(new).",
			"publisher.security.viewer-url-ttl");

	/** The publisher's Ed25519 key file (new). */
	public static final ConfigKey PUBLISHER_SIGNING_KEY = key("PUBLISHER_SIGNING_KEY", ValueType.path(),
			"PEM file of the publisher's Ed25519 key pair, which signs the segment manifests the viewer page checks "
					+ "every live segment against (GET /live/<stream>/manifest.json; its public key is at "
					+ "GET /api/v1/keys); created with mode 600 when missing, never replaced (new).",
			"publisher.security.signing-key")
		.defaultValue("<BASE_DIRECTORY>/publisher-signing-key.pem")
		.example("/var/lib/dandelion/publisher-signing-key.pem");

	/** IP the publisher reports. */
	public static final ConfigKey PUBLISHER_IP = key("PUBLISHER_IP", ValueType.ipAddress(true),
			"IPv4 or IPv6 address the publisher reports in SEARCH and PUBLISH; empty means detect it.", "publisher.ip")
		.defaultValue("empty");

	/** Number of boxes a publisher connects to. */
	public static final ConfigKey MIN_HTTP_PEERS = key("MIN_HTTP_PEERS", ValueType.positiveInt(),
			"Number of boxes the publisher connects to, in effect a maximum.", "publisher.min-http-peers");

	/** Publisher SEARCH period. */
	public static final ConfigKey PUBLISHER_PING_ENTRANCE_FREQ = key("PUBLISHER_PING_ENTRANCE_FREQ",
			ValueType.seconds(), "Seconds between two SEARCH requests to each entrance.",
			"publisher.ping-entrance-freq");

	/** HTTP port of the publisher (new: the original had no server). */
	public static final ConfigKey PUBLISHER_PORT = key("PUBLISHER_PORT", ValueType.port(),
			"HTTP port of the publisher (new; the original had no server).", "server.port");

	/** Silence after which a box connection counts as dead (new). */
	public static final ConfigKey PUBLISHER_BOX_TIMEOUT = key("PUBLISHER_BOX_TIMEOUT", ValueType.seconds(),
			"Seconds without any answer from a box (WebSocket pong, STORED reply) after which its connection is "
					+ "dead: the box is no longer chosen nor redirected to, and its files are re-published elsewhere "
					+ "(new).",
			"publisher.pool.box-timeout");

	/** Frames in flight per box (new). */
	public static final ConfigKey PUBLISHER_BOX_CONCURRENCY = key("PUBLISHER_BOX_CONCURRENCY", ValueType.positiveInt(),
			"Most file frames sent to one box and not yet acknowledged (new).", "publisher.pool.box-concurrency");

	/** Boxes each file goes to (new). */
	public static final ConfigKey PUBLISH_REPLICAS = key("PUBLISH_REPLICAS", ValueType.positiveInt(),
			"Number of distinct boxes each file is stored on, on distinct /24 networks when possible (new: the "
					+ "original sent each file to one box).",
			"publisher.publish.replicas");

	/** Files published at once (new). */
	public static final ConfigKey PUBLISHER_CONCURRENCY = key("PUBLISHER_CONCURRENCY", ValueType.positiveInt(),
			"Most files sent at the same time (new).", "publisher.publish.concurrency");

	/** Whether the publisher follows where its viewers are (new). */
	public static final ConfigKey PUBLISHER_AUDIENCE = key("PUBLISHER_AUDIENCE", ValueType.bool(),
			"Count viewer requests (/r/ and live playlists) by one-degree latitude/longitude cell, name the largest "
					+ "regions in every SEARCH (AUDIENCE) so that the entrance ranks boxes near the viewers, and place "
					+ "each file's replicas near them; false ranks boxes by their distance to the publisher, as "
					+ "before (new).",
			"publisher.audience.enabled");

	/** How fast old viewer requests stop counting (new). */
	public static final ConfigKey PUBLISHER_AUDIENCE_HALF_LIFE = key("PUBLISHER_AUDIENCE_HALF_LIFE",
			ValueType.secondsAtLeast("1"),
			"Seconds after which a viewer request counts half as much in the audience: shorter follows a moving "
					+ "audience faster, longer keeps the boxes steadier (new).",
			"publisher.audience.half-life");

	/** How long a file may wait for boxes (new). */
	public static final ConfigKey PUBLISHER_MAX_WAIT = key("PUBLISHER_MAX_WAIT", ValueType.seconds(),
			"Seconds a file may wait for enough boxes before it is marked failed with a reason (new: the original "
					+ "dropped it when no box was connected).",
			"publisher.publish.max-wait");

	/** Attempts per file (new). */
	public static final ConfigKey PUBLISHER_MAX_ATTEMPTS = key("PUBLISHER_MAX_ATTEMPTS", ValueType.positiveInt(),
			"Most sends of one file (refused or lost frames count) before it is marked failed (new).",
			"publisher.publish.max-attempts");

	/** Largest file the publisher sends (new). */
	public static final ConfigKey PUBLISHER_MAX_FRAME_SIZE = key("PUBLISHER_MAX_FRAME_SIZE", ValueType.byteSize(),
			"Largest file frame the publisher sends: tags, header and content (new). Keep it at most the boxes' "
					+ "BOX_MAX_FRAME_SIZE.",
			"publisher.publish.max-frame-size");

	/** Directories the REST API may queue files from (new). */
	public static final ConfigKey PUBLISHER_ALLOWED_ROOTS = key("PUBLISHER_ALLOWED_ROOTS",
			ValueType.listOf(ValueType.path(), "a list of directories"),
			"Directories POST /api/v1/files and the Redis queue may take local files from; uploads (PUT) land in "
					+ "<BASE_DIRECTORY>/uploads and are always allowed (new). A file's public name (its FILE_PATH on "
					+ "boxes and its name in every URL) is its path below the first of these holding it: "
					+ "/tmp/hls/output/a.ts is /output/a.ts. Two roots holding the same path: the first file queued keeps "
					+ "the name, the other is refused while it lives.",
			"publisher.allowed-roots");

	/** Proxies whose X-Forwarded-For the publisher believes (new). */
	public static final ConfigKey PUBLISHER_TRUSTED_PROXIES = key("PUBLISHER_TRUSTED_PROXIES",
			ValueType.listOf(ValueType.ipAddress(false), "a list of IP addresses"),
			"Addresses of reverse proxies whose X-Forwarded-For header gives the viewer's address for the "
					+ "nearest-box redirect /r/... (new).",
			"publisher.trusted-proxies");

	/** Where viewers go when no box holds a file (new). */
	public static final ConfigKey ORIGIN_BASE_URL = key("ORIGIN_BASE_URL", ValueType.url(),
			"Base URL viewers are redirected to (plus the file's public name) when no live box holds a file, e.g. the "
					+ "caster's own web server; without it such requests get 503; live segments go to the publisher's "
					+ "own /origin/ copy instead (new).",
			"publisher.origin-base-url")
		.defaultValue("none")
		.example("http://198.51.100.20:8000");

	/** Directories the publisher watches for live HLS (new). */
	public static final ConfigKey PUBLISHER_WATCH_DIRS = key("PUBLISHER_WATCH_DIRS",
			ValueType.listOf(ValueType.path(), "a list of directories"),
			"Live HLS (new; the original's channel module watched /tmp/hls/output): directories an encoder "
					+ "(nginx-rtmp with hls_nested on, or ffmpeg -f hls) writes HLS into, one sub-directory per stream, "
					+ "<dir>/<stream>/index.m3u8 plus its segments. The publisher publishes every finished segment (one "
					+ "the playlist lists) to boxes and serves the playlists rewritten for them at "
					+ "/live/<stream>/index.m3u8; empty turns live HLS off. In an environment variable: comma-separated.",
			"publisher.live.watch-dirs");

	/** TTL of live segments on boxes. */
	public static final ConfigKey HLS_SEGMENT_TTL = key("HLS_SEGMENT_TTL", ValueType.seconds(),
			"Seconds boxes keep a live HLS segment (the original's push default).", "publisher.live.hls-segment-ttl");

	/** Where rewritten playlists point for stored segments (new). */
	public static final ConfigKey LIVE_SEGMENT_URLS = key("LIVE_SEGMENT_URLS", ValueType.oneOf("box", "redirect"),
			"Where the live playlists send viewers for a segment a box stores (new):\n"
					+ "  redirect - at the publisher's /r/live/<stream>/<segment>, which redirects each request to the "
					+ "viewer's nearest\n" + "             live box; the URI never changes, whichever box dies\n"
					+ "  box      - straight at one box replica, http://BOX_IP:7072/{publisher-id}/live/<stream>/<segment>, "
					+ "the same one\n"
					+ "             while that box lives (players take a changed URI for a broken playlist, so a box that\n"
					+ "             dies stops hls.js viewers of the segments it held)\n"
					+ "Segments no box stores yet are served by the publisher itself, /origin/<stream>/<segment>.",
			"publisher.live.segment-urls");

	/** How long live playlists hold back segments no box stores yet (new). */
	public static final ConfigKey HLS_HOLD_BACK = key("HLS_HOLD_BACK", ValueType.seconds(),
			"Seconds a live playlist leaves out its newest segments while no box stores them yet (the few hundred "
					+ "milliseconds publishing takes), so that players at the live edge fetch them from boxes rather "
					+ "than the origin. An unstored segment older than this is listed with its /origin/ URL, so a stream "
					+ "no box stores still plays, this much later. 0 turns it off (new).",
			"publisher.live.hold-back");

	private PublisherConfigKeys() {
	}

	private static ConfigKey key(String name, ValueType type, String help, String... properties) {
		return ConfigKey.of(Role.PUBLISHER, name, type, help, properties);
	}

}
