package io.dandelion.support.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.dandelion.protocol.identity.Role;

/**
 * Every key of the original's upper-case configuration file: the roles that read it, the
 * Spring properties it sets, its value type, its default and what it means. Keys the
 * original had but we do not need are listed too, with the reason they are ignored. To
 * add a key, add a constant here and document it in {@code config/*.yaml.example}.
 * <p>
 * A property name may contain {@code {role}}, replaced by the reading role's name
 * ({@code box}, {@code entrance}, {@code publisher}).
 */
public enum ConfigKey {

	/** Host of the role's own Redis. */
	REDIS_HOST(ValueType.string(), "localhost", "host of this node's Redis (in Docker compose, its service name)",
			all(), "spring.data.redis.host"),

	/** Port of the role's own Redis. */
	REDIS_PORT(ValueType.port(), "6379", "port of this node's Redis", all(), "spring.data.redis.port"),

	/** Password of the role's own Redis (new: the original had none). */
	REDIS_PASSWORD(ValueType.string(), "none", "password of this node's Redis (new; the original had none)", all(),
			"spring.data.redis.password"),

	/** Redis database index. */
	DB(ValueType.nonNegativeInt(), "0", "Redis database index", all(), "spring.data.redis.database"),

	/** How long a Redis command may wait for its answer (new). */
	REDIS_COMMAND_TIMEOUT(ValueType.secondsAtLeast("1.5"), "2",
			"seconds a Redis command may wait for its answer, at least 1.5 (a publisher waits up to 1 s on its queue); past it the request that needed it fails (HTTP 503 with Retry-After, ERROR_CODE UNAVAILABLE) instead of hanging (new)",
			all(), "spring.data.redis.timeout"),

	/** How long connecting to Redis may take (new). */
	REDIS_CONNECT_TIMEOUT(ValueType.secondsAtLeast("0.1"), "2",
			"seconds connecting to this node's Redis may take, at least 0.1 (new)", all(),
			"spring.data.redis.connect-timeout"),

	/** How the node's ID starts its Redis keys (new). */
	REDIS_KEY_LAYOUT(ValueType.oneOf("original", "cluster"), "original",
			"how the node's ID starts its Redis keys: original (ID:KEY, what the original's FileManager, channel module and PHP pages read) or cluster ({ID}:KEY, one Redis Cluster slot per node) (new)",
			all(), "{role}.redis-key-layout"),

	/** The entrances a box registers with and a publisher searches. */
	ENTRANCE_URLS(ValueType.urlList(), "empty",
			"entrance WebSocket URLs, e.g. https://ENTRANCE_IP:7070/dandelion/ws/ (a box also learns others from them)",
			roles(Role.BOX, Role.PUBLISHER), "{role}.entrance-urls"),

	/** Address the box binds to and reports as its IP. */
	BOX_SERVER_IP(ValueType.ipAddress(false), "0.0.0.0",
			"address the box binds to and reports as IP (the original only reported it and bound to 0.0.0.0)",
			roles(Role.BOX), "server.address", "box.server-ip"),

	/** A static public IP for the box. */
	BOX_CLIENT_IP(ValueType.ipAddress(true), "empty", "static public IP of the box; empty means detect it",
			roles(Role.BOX), "box.client-ip"),

	/** HTTP and WebSocket port of the box. */
	BOX_PORT(ValueType.port(), "7071", "HTTP and WebSocket port of the box", roles(Role.BOX), "server.port"),

	/** Port of the TLS proxy in front of the box. */
	BOX_SERVER_PROXY_PORT(ValueType.port(), "none",
			"port of the TLS proxy (nginx) in front of the box, advertised instead of BOX_PORT when set",
			roles(Role.BOX), "box.server-proxy-port"),

	/** Storage root and home of the ID file. */
	BASE_DIRECTORY(ValueType.path(), "/tmp",
			"directory holding the node's ID file (<role>-id.txt); for a box also the root of stored files", all(),
			"{role}.base-directory"),

	/** Box heartbeat period. */
	BOX_PING_ENTRANCE_FREQ(ValueType.seconds(), "5", "seconds between two EXCHANGE heartbeats of a box",
			roles(Role.BOX), "box.ping-entrance-freq"),

	/** Largest binary file frame a box accepts (new). */
	BOX_MAX_FRAME_SIZE(ValueType.byteSize(), "64MB",
			"largest file frame (one WebSocket message: tags, header and content) a box accepts (new)", roles(Role.BOX),
			"box.store.max-frame-size"),

	/** Most bytes a box stores in total (new). */
	BOX_MAX_STORAGE(ValueType.byteSize(), "1GB",
			"most bytes of stored files a box keeps; frames over it are refused with QUOTA_EXCEEDED (new)",
			roles(Role.BOX), "box.store.max-storage"),

	/** Most bytes a box stores for one publisher (new). */
	BOX_MAX_STORAGE_PER_PUBLISHER(ValueType.byteSize(), "half of BOX_MAX_STORAGE",
			"most bytes of stored files a box keeps for one publisher, so that one publisher cannot fill the store for all; frames over it are refused with PUBLISHER_QUOTA_EXCEEDED. Must be positive; above BOX_MAX_STORAGE it limits nothing (a warning at start-up) (new)",
			roles(Role.BOX), "box.store.max-storage-per-publisher"),

	/** Free space a box leaves on the store's file system (new). */
	BOX_MIN_FREE_DISK(ValueType.byteSize(), "256MB",
			"free space a box always leaves on the store's file system; frames that would eat into it are refused with DISK_RESERVE (new)",
			roles(Role.BOX), "box.store.min-free-disk"),

	/** Period of the box's TTL sweeper. */
	BOX_EXPIRE_FILES_FREQ(ValueType.seconds(), "0.5",
			"seconds between two sweeps for expired files (the original hard-coded 10)", roles(Role.BOX),
			"box.store.expire-files-freq"),

	/**
	 * Period of the box's reconciliation of its files with their expiry records (new).
	 */
	BOX_RECONCILE_FILES_FREQ(ValueType.seconds(), "600",
			"seconds between two reconciliations of the stored files with their expiry records in Redis, the first at start-up: a record Redis lost is restored from the file's sidecar, an expired file removed, a record of a missing file dropped (new)",
			roles(Role.BOX), "box.store.reconcile-files-freq"),

	/**
	 * How long a box keeps a file it finds with neither expiry record nor sidecar (new).
	 */
	BOX_UNRECORDED_FILE_TTL(ValueType.seconds(), "0",
			"seconds a file found with neither an expiry record nor a sidecar (stored by an earlier box version, whose records Redis lost) is kept after it was last written; 0 keeps it, as a file stored with TTL 0 (new)",
			roles(Role.BOX), "box.store.unrecorded-file-ttl"),

	/** Which web server serves the stored files to viewers (new). */
	BOX_FILE_SERVER(ValueType.oneOf("nginx", "builtin", "external"), "builtin",
			"who serves stored files on BOX_DATA_PORT: nginx (started and supervised by the box), builtin (the box itself) or external (an nginx you run with the config the box writes) (new)",
			roles(Role.BOX), "box.serving.file-server"),

	/** Port viewers fetch stored files from. */
	BOX_DATA_PORT(ValueType.port(), "7072",
			"port viewers fetch stored files from, http://IP:PORT/{publisher-id}{FILE_PATH} (the original hard-coded 7072)",
			roles(Role.BOX), "box.serving.data-port"),

	/** The nginx executable a box starts (new). */
	NGINX_BINARY(ValueType.string(), "nginx",
			"nginx executable the box starts when BOX_FILE_SERVER is nginx, a path or a name looked up in PATH (new)",
			roles(Role.BOX), "box.serving.nginx-binary"),

	/** Where a box keeps its web server's runtime files (new). */
	BOX_RUN_DIRECTORY(ValueType.path(), "<BASE_DIRECTORY>/run",
			"directory of the generated nginx.conf, nginx's pid, temp files and logs, and the access log (new)",
			roles(Role.BOX), "box.serving.run-directory"),

	/** The user a box's nginx runs its worker processes as (new). */
	BOX_NGINX_USER(ValueType.string(), "none",
			"user, optionally followed by a group, that nginx started by a box running as root runs its worker processes as (the user directive of the generated nginx.conf); none means nginx's default, nobody. That user must be able to enter every directory above BASE_DIRECTORY: in nginx mode the box refuses to start otherwise (new)",
			roles(Role.BOX), "box.serving.nginx-user"),

	/** Declared uplink capacity of the box's household (new). */
	BOX_UPLINK_MBPS(ValueType.positiveInt(), "10",
			"upload capacity of the box's Internet connection in Mbit/s, reported as UPLINK-MBPS (new)",
			roles(Role.BOX), "box.sysinfo.uplink-mbps"),

	/** IP the publisher reports. */
	PUBLISHER_IP(ValueType.ipAddress(true), "empty",
			"IP the publisher reports in SEARCH and PUBLISH; empty means detect it", roles(Role.PUBLISHER),
			"publisher.ip"),

	/** Number of boxes a publisher connects to. */
	MIN_HTTP_PEERS(ValueType.positiveInt(), "20", "number of boxes a publisher connects to (in effect a maximum)",
			roles(Role.PUBLISHER), "publisher.min-http-peers"),

	/** Publisher SEARCH period. */
	PUBLISHER_PING_ENTRANCE_FREQ(ValueType.seconds(), "10", "seconds between two SEARCH requests of a publisher",
			roles(Role.PUBLISHER), "publisher.ping-entrance-freq"),

	/** Silence after which a box connection counts as dead (new). */
	PUBLISHER_BOX_TIMEOUT(ValueType.seconds(), "2",
			"seconds without any answer (pong, reply) after which a box connection is dead and the box is no longer chosen (new)",
			roles(Role.PUBLISHER), "publisher.pool.box-timeout"),

	/** Frames in flight per box (new). */
	PUBLISHER_BOX_CONCURRENCY(ValueType.positiveInt(), "4",
			"most file frames sent to one box and not yet acknowledged (new)", roles(Role.PUBLISHER),
			"publisher.pool.box-concurrency"),

	/** Boxes each file goes to (new). */
	PUBLISH_REPLICAS(ValueType.positiveInt(), "2",
			"number of distinct boxes (on distinct /24 networks when possible) each file is stored on (new)",
			roles(Role.PUBLISHER), "publisher.publish.replicas"),

	/** Files published at once (new). */
	PUBLISHER_CONCURRENCY(ValueType.positiveInt(), "8", "most files the publisher sends at the same time (new)",
			roles(Role.PUBLISHER), "publisher.publish.concurrency"),

	/** How long a file may wait for boxes (new). */
	PUBLISHER_MAX_WAIT(ValueType.seconds(), "30",
			"seconds a file may wait for enough boxes before it is marked failed (the original dropped it at once) (new)",
			roles(Role.PUBLISHER), "publisher.publish.max-wait"),

	/** Attempts per file (new). */
	PUBLISHER_MAX_ATTEMPTS(ValueType.positiveInt(), "10",
			"most sends of one file (refused or lost frames count) before it is marked failed (new)",
			roles(Role.PUBLISHER), "publisher.publish.max-attempts"),

	/** Largest file the publisher sends (new). */
	PUBLISHER_MAX_FRAME_SIZE(ValueType.byteSize(), "64MB",
			"largest file frame (tags, header and content) the publisher sends; keep it at most BOX_MAX_FRAME_SIZE (new)",
			roles(Role.PUBLISHER), "publisher.publish.max-frame-size"),

	/** Directories the REST API may queue files from (new). */
	PUBLISHER_ALLOWED_ROOTS(ValueType.listOf(ValueType.path(), "a list of directories"), "/tmp/hls",
			"directories POST /api/v1/files may queue files from (uploads are always allowed) (new)",
			roles(Role.PUBLISHER), "publisher.allowed-roots"),

	/** Proxies whose X-Forwarded-For the publisher believes (new). */
	PUBLISHER_TRUSTED_PROXIES(ValueType.listOf(ValueType.ipAddress(false), "a list of IP addresses"), "empty",
			"addresses of reverse proxies whose X-Forwarded-For header gives the viewer's address in /r/ (new)",
			roles(Role.PUBLISHER), "publisher.trusted-proxies"),

	/** Where viewers go when no box holds a file (new). */
	ORIGIN_BASE_URL(ValueType.url(), "none",
			"base URL viewers are redirected to (plus FILE_PATH) when no live box holds a file; none means 503 (new)",
			roles(Role.PUBLISHER), "publisher.origin-base-url"),

	/** HTTP port of the publisher (new: the original had no server). */
	PUBLISHER_PORT(ValueType.port(), "7073", "HTTP port of the publisher (new; the original had no server)",
			roles(Role.PUBLISHER), "server.port"),

	/** Directories the publisher watches for live HLS (new). */
	PUBLISHER_WATCH_DIRS(ValueType.listOf(ValueType.path(), "a list of directories"), "empty",
			"directories an encoder writes live HLS into, <dir>/<stream>/index.m3u8 plus segments; the publisher publishes every finished segment (new; the original watched /tmp/hls/output)",
			roles(Role.PUBLISHER), "publisher.live.watch-dirs"),

	/** TTL of live segments on boxes. */
	HLS_SEGMENT_TTL(ValueType.seconds(), "60", "seconds boxes keep a live HLS segment (the original's push default)",
			roles(Role.PUBLISHER), "publisher.live.hls-segment-ttl"),

	/** Where rewritten playlists point for stored segments (new). */
	LIVE_SEGMENT_URLS(ValueType.oneOf("box", "redirect"), "redirect",
			"where the publisher's live playlists send viewers for a segment a box stores: redirect (at the publisher's /r/{FILE_PATH}, which sends each viewer to its nearest live box) or box (straight at one box replica, kept while that box lives) (new)",
			roles(Role.PUBLISHER), "publisher.live.segment-urls"),

	/** How long live playlists hold back segments no box stores yet (new). */
	HLS_HOLD_BACK(ValueType.seconds(), "4",
			"seconds a live playlist leaves out its newest segments while no box stores them yet, so that players at the live edge fetch them from boxes; older unstored segments are listed with their /origin/ URL; 0 turns it off (new)",
			roles(Role.PUBLISHER), "publisher.live.hold-back"),

	/** Public IP the entrance advertises. */
	ENTRANCE_IP(ValueType.ipAddress(true), "empty", "public IP the entrance advertises in OWN_INFO and its own URL",
			roles(Role.ENTRANCE), "entrance.ip"),

	/** HTTP and WebSocket port of the entrance. */
	ENTRANCE_PORT(ValueType.port(), "7071", "HTTP and WebSocket port of the entrance", roles(Role.ENTRANCE),
			"server.port"),

	/** Port of the TLS proxy in front of the entrance. */
	ENTRANCE_SERVER_PROXY_PORT(ValueType.port(), "none",
			"port of the TLS proxy (nginx) in front of the entrance; when set its own URL is https://IP:PORT/dandelion/ws/",
			roles(Role.ENTRANCE), "entrance.server-proxy-port"),

	/** Time after which a silent box is dropped. */
	ENTRANCE_EXPIRE_BOX_TIME(ValueType.seconds(), "120", "seconds after its last EXCHANGE before a box is dropped",
			roles(Role.ENTRANCE), "entrance.expire-box-time"),

	/** Size limit of a SEARCH reply. */
	AMOUNT_OF_BOXES_PER_REQUEST(ValueType.positiveInt(), "20", "maximum number of boxes in a SEARCH reply",
			roles(Role.ENTRANCE), "entrance.amount-of-boxes-per-request"),

	/** Other entrances handed to boxes. */
	ENTRANCE_OTHER_URLS(ValueType.urlList(), "empty",
			"other entrances' WebSocket URLs, handed to boxes in EXCHANGE replies", roles(Role.ENTRANCE),
			"entrance.other-urls"),

	/** Per-network cap of a SEARCH reply (new). */
	ENTRANCE_MAX_BOXES_PER_NETWORK(ValueType.positiveInt(), "4",
			"most boxes of one IPv4 /24 (IPv6 /48) in one SEARCH reply (new)", roles(Role.ENTRANCE),
			"entrance.max-boxes-per-network"),

	/** How many live boxes a SEARCH ranks (new). */
	ENTRANCE_MAX_SEARCH_CANDIDATES(ValueType.positiveInt(), "1000",
			"how many of the most recently heard boxes a SEARCH ranks at most (new)", roles(Role.ENTRANCE),
			"entrance.max-search-candidates"),

	/** Heartbeat rate limit per box (new). */
	ENTRANCE_MAX_EXCHANGES_PER_MINUTE(ValueType.positiveInt(), "60",
			"most heartbeats one box may send this entrance per minute; further ones are refused with RATE_LIMITED and not stored (new)",
			roles(Role.ENTRANCE), "entrance.registration.max-exchanges-per-minute"),

	/** Registration cap per network (new). */
	ENTRANCE_MAX_LIVE_BOXES_PER_NETWORK(ValueType.positiveInt(), "32",
			"most live boxes of one IPv4 /24 (IPv6 /48); a further box is refused with NETWORK_FULL until one of them expires (new)",
			roles(Role.ENTRANCE), "entrance.registration.max-live-boxes-per-network"),

	/** How long a box must be live before its own figures count in full (new). */
	ENTRANCE_CLAIMS_TRUSTED_AFTER(ValueType.seconds(), "600",
			"seconds a box must have been live before the figures it reports about itself (storage, bandwidth, CPU) count in full in the ranking; until then they are drawn towards neutral in proportion; 0 trusts them at once (new)",
			roles(Role.ENTRANCE), "entrance.ranking.claims-trusted-after"),

	/** GeoIP database of the entrance and the publisher (new). */
	GEOIP_DATABASE(ValueType.path(), "bundled GeoLite2 City (2019)",
			"MaxMind or DB-IP City database (.mmdb) the entrance places boxes and publishers with, and the publisher viewers (new)",
			roles(Role.ENTRANCE, Role.PUBLISHER), "{role}.geoip-database"),

	/** Certificates the node's clients trust besides the JDK's (new). */
	TLS_TRUSTED_CERTIFICATES(ValueType.path(), "none",
			"PEM file of certificates the node's clients trust besides the JDK's authorities, e.g. the self-signed certificate of a box or entrance behind the original's TLS proxy; certificates and host names are always verified (new)",
			all(), "dandelion.tls.trusted-certificates"),

	/** The certificate the node serves HTTPS and WSS with (new). */
	TLS_CERTIFICATE(ValueType.path(), "none",
			"PEM file of the certificate chain the node's HTTP and WebSocket port serves HTTPS and WSS with (TLS 1.2 and 1.3 only), and a box's data port too; its URLs are then https:// (new)",
			all(), "server.ssl.certificate"),

	/** The private key of TLS_CERTIFICATE (new). */
	TLS_PRIVATE_KEY(ValueType.path(), "none", "PEM file of the private key of TLS_CERTIFICATE (new)", all(),
			"server.ssl.certificate-private-key"),

	/** Whether the node insists on credentials, tickets and signed URLs (new). */
	SECURITY_MODE(ValueType.oneOf("strict", "compatible"), "strict",
			"strict: every EXCHANGE and SEARCH must prove a credential, every PUBLISH carry an entrance's ticket, every viewer URL be signed; compatible: also accept the original nodes' unauthenticated messages and unsigned URLs, so a network migrates node by node (logs a warning at start-up) (new)",
			all(), "dandelion.security.mode"),

	/** The credential an entrance issued to this box or publisher (new). */
	CREDENTIAL(ValueType.string(), "none",
			"the credential an entrance's operator issued to this node, ID:SECRET (PUT /dandelion/api/v1/credentials/{id}); the node takes its ID from it and signs every EXCHANGE or SEARCH with it (new)",
			roles(Role.BOX, Role.PUBLISHER), "dandelion.security.credential"),

	/** Entrance keys whose publish tickets a box accepts (new). */
	ENTRANCE_PUBLIC_KEYS(ValueType.listOf(ValueType.string(), "a list of keys"), "empty",
			"Ed25519 public keys (43 characters of Base64url, GET /dandelion/api/v1/keys on an entrance) of the entrances whose PUBLISH_TICKET this box accepts (new)",
			roles(Role.BOX), "box.security.entrance-public-keys"),

	/** Token of the entrance's administrative REST calls (new). */
	ENTRANCE_ADMIN_TOKEN(ValueType.string(), "none",
			"bearer token that the entrance's REST calls changing state (credentials, other entrances) need; none refuses them all in strict mode (new)",
			roles(Role.ENTRANCE), "entrance.security.admin-token"),

	/** The entrance's Ed25519 key file (new). */
	ENTRANCE_SIGNING_KEY(ValueType.path(), "<BASE_DIRECTORY>/entrance-signing-key.pem",
			"PEM file of the entrance's Ed25519 key pair, which signs publish tickets; created (mode 600) when missing (new)",
			roles(Role.ENTRANCE), "entrance.security.signing-key"),

	/** Lifetime of publish tickets (new). */
	PUBLISH_TICKET_TTL(ValueType.seconds(), "300",
			"seconds a publish ticket in a SEARCH reply stays valid; a box checks it when a publisher connects (new)",
			roles(Role.ENTRANCE), "entrance.security.ticket-ttl"),

	/** Token of the publisher's REST calls that change state (new). */
	PUBLISHER_API_TOKEN(ValueType.string(), "none",
			"bearer token that the publisher's REST calls changing state (PUT and POST of files) need; none refuses them in strict mode (new)",
			roles(Role.PUBLISHER), "publisher.security.api-token"),

	/** Whether viewer URLs of box files are signed and checked (new). */
	SIGNED_VIEWER_URLS(ValueType.bool(), "true",
			"true: a box's file server answers 403 to a file URL without a valid, unexpired signature (nginx secure_link md5/expires), and the publisher signs the URLs it sends viewers to; false for a public demo (new)",
			roles(Role.BOX, Role.PUBLISHER), "dandelion.security.signed-viewer-urls"),

	/** Lifetime of signed viewer URLs (new). */
	VIEWER_URL_TTL(ValueType.seconds(), "600",
			"seconds a signed viewer URL (a redirect, a segment URL in a rewritten playlist) stays valid (new)",
			roles(Role.PUBLISHER), "publisher.security.viewer-url-ttl"),

	/** The publisher's Ed25519 key file (new). */
	PUBLISHER_SIGNING_KEY(ValueType.path(), "<BASE_DIRECTORY>/publisher-signing-key.pem",
			"PEM file of the publisher's Ed25519 key pair, which signs the segment manifests the viewer page checks live segments with; created (mode 600) when missing (new)",
			roles(Role.PUBLISHER), "publisher.security.signing-key"),

	/** Connections one client address may hold (new). */
	MAX_CONNECTIONS_PER_IP(ValueType.positiveInt(), "64",
			"connections one client address may hold open on the node's HTTP and WebSocket port; a further one is closed as it opens (new)",
			all(), "dandelion.limits.max-connections-per-ip"),

	/** Silence after which a connection is closed (new). */
	IDLE_TIMEOUT(ValueType.seconds(), "60",
			"seconds a connection to the node's HTTP and WebSocket port may stay silent before it is closed; 0 never closes one (new)",
			all(), "dandelion.limits.idle-timeout"),

	/** Expiry sweep period (new). */
	ENTRANCE_SWEEP_FREQ(ValueType.seconds(), "0.25",
			"seconds between two sweeps for boxes whose expiry has passed (new; the original swept every 5 s)",
			roles(Role.ENTRANCE), "entrance.sweep-period"),

	/** Proxies whose X-Forwarded-For is believed (new). */
	ENTRANCE_TRUSTED_PROXIES(ValueType.listOf(ValueType.ipAddress(false), "a list of IP addresses"), "empty",
			"addresses of reverse proxies whose X-Forwarded-For header gives the client's address (new)",
			roles(Role.ENTRANCE), "entrance.trusted-proxies"),

	/** Federation check period (new). */
	ENTRANCE_CHECK_OTHERS_FREQ(ValueType.seconds(), "10",
			"seconds between two checks of every other entrance's greeting page (new)", roles(Role.ENTRANCE),
			"entrance.federation.check-period"),

	/** When an unreachable entrance is left out (new). */
	ENTRANCE_UNREACHABLE_TIME(ValueType.seconds(), "60",
			"seconds another entrance may fail its checks before it is left out of replies (new)", roles(Role.ENTRANCE),
			"entrance.federation.unreachable-after"),

	/** Traffic dedupe window (new). */
	ENTRANCE_TRAFFIC_DEDUPE_TIME(ValueType.seconds(), "3600",
			"seconds a box's traffic log ID is remembered, so an entry reported twice counts once (new)",
			roles(Role.ENTRANCE), "entrance.traffic.dedupe-window"),

	/** Traffic history length (new). */
	ENTRANCE_TRAFFIC_HISTORY(ValueType.positiveInt(), "1000",
			"about how many of each box's latest traffic entries are kept in its history stream (new)",
			roles(Role.ENTRANCE), "entrance.traffic.history-cap"),

	/** Ignored: Redis pool size of the original box server. */
	SERVER_REDIS_MINSIZE(roles(Role.BOX), Reasons.POOL),

	/** Ignored: Redis pool size of the original box server. */
	SERVER_REDIS_MAXSIZE(roles(Role.BOX), Reasons.POOL),

	/** Ignored: Redis pool size of the original box client. */
	CLIENT_REDIS_MINSIZE(roles(Role.BOX), Reasons.POOL),

	/** Ignored: Redis pool size of the original box client. */
	CLIENT_REDIS_MAXSIZE(roles(Role.BOX), Reasons.POOL),

	/** Ignored: Redis pool size of the original publisher. */
	PUBLISHER_REDIS_MINSIZE(roles(Role.PUBLISHER), Reasons.POOL),

	/** Ignored: Redis pool size of the original publisher. */
	PUBLISHER_REDIS_MAXSIZE(roles(Role.PUBLISHER), Reasons.POOL),

	/** Ignored: Redis pool size of the original entrance. */
	ENTRANCE_REDIS_MINSIZE(roles(Role.ENTRANCE), Reasons.POOL),

	/** Ignored: Redis pool size of the original entrance. */
	ENTRANCE_REDIS_MAXSIZE(roles(Role.ENTRANCE), Reasons.POOL),

	/** Ignored: the original entrance's MySQL. */
	ENTRANCE_MYSQL_HOST(roles(Role.ENTRANCE), Reasons.MYSQL),

	/** Ignored: the original entrance's MySQL. */
	ENTRANCE_MYSQL_PORT(roles(Role.ENTRANCE), Reasons.MYSQL),

	/** Ignored: the original entrance's MySQL. */
	ENTRANCE_MYSQL_USER(roles(Role.ENTRANCE), Reasons.MYSQL),

	/** Ignored: the original entrance's MySQL. */
	ENTRANCE_MYSQL_PASSWORD(roles(Role.ENTRANCE), Reasons.MYSQL),

	/** Ignored: the original entrance's MySQL. */
	ENTRANCE_MYSQL_DB(roles(Role.ENTRANCE), Reasons.MYSQL),

	/** Ignored: the original's URL prefix. */
	BASE_URL(all(), Reasons.PATHS),

	/** Ignored: the original's WebSocket path segment. */
	WEBSOCKET_URL(all(), Reasons.PATHS);

	private final ValueType type;

	private final String defaultValue;

	private final String meaning;

	private final Set<Role> roles;

	private final List<String> properties;

	private final String ignoredBecause;

	ConfigKey(ValueType type, String defaultValue, String meaning, Set<Role> roles, String... properties) {
		this.type = type;
		this.defaultValue = defaultValue;
		this.meaning = meaning;
		this.roles = roles;
		this.properties = List.of(properties);
		this.ignoredBecause = null;
	}

	ConfigKey(Set<Role> roles, String ignoredBecause) {
		this.type = null;
		this.defaultValue = null;
		this.meaning = "ignored: " + ignoredBecause;
		this.roles = roles;
		this.properties = List.of();
		this.ignoredBecause = ignoredBecause;
	}

	/**
	 * The type of the value, {@code null} for an ignored key.
	 * @return the value type
	 */
	public ValueType type() {
		return this.type;
	}

	/**
	 * The default as a user would write it (e.g. {@code 120} seconds), {@code none} or
	 * {@code empty}; documentation only, the services' properties records hold the real
	 * defaults.
	 * @return the default, {@code null} for an ignored key
	 */
	public String defaultValue() {
		return this.defaultValue;
	}

	/**
	 * One line saying what the key means.
	 * @return the meaning
	 */
	public String meaning() {
		return this.meaning;
	}

	/**
	 * The roles that read this key (for an ignored key: the roles the original read it
	 * in).
	 * @return the roles
	 */
	public Set<Role> roles() {
		return this.roles;
	}

	/**
	 * Whether the given role reads this key.
	 * @param role the role
	 * @return {@code true} when the key is one of the role's
	 */
	public boolean isReadBy(Role role) {
		return this.roles.contains(role);
	}

	/**
	 * Whether this key is accepted but ignored.
	 * @return {@code true} for keys of the original we do not use
	 */
	public boolean isIgnored() {
		return this.ignoredBecause != null;
	}

	/**
	 * Why this key is ignored.
	 * @return the reason, {@code null} when the key is used
	 */
	public String ignoredBecause() {
		return this.ignoredBecause;
	}

	/**
	 * The Spring properties this key sets for a role.
	 * @param role the role reading the key
	 * @return the property names, e.g. {@code [box.base-directory]}; empty when the role
	 * does not read the key
	 */
	public List<String> propertyNames(Role role) {
		if (!isReadBy(role)) {
			return List.of();
		}
		String roleName = role.name().toLowerCase(Locale.ROOT);
		return this.properties.stream().map((property) -> property.replace("{role}", roleName)).toList();
	}

	/**
	 * The name of the environment variable that overrides this key, e.g.
	 * {@code DANDELION_REDIS_HOST}.
	 * @return the variable name
	 */
	public String environmentVariable() {
		return ConfigFile.ENVIRONMENT_PREFIX + name();
	}

	/**
	 * The key with the given name.
	 * @param name the key as written in the file
	 * @return the key, or {@code null} when there is none
	 */
	public static ConfigKey find(String name) {
		for (ConfigKey key : values()) {
			if (key.name().equals(name)) {
				return key;
			}
		}
		return null;
	}

	private static Set<Role> all() {
		return Set.copyOf(EnumSet.allOf(Role.class));
	}

	private static Set<Role> roles(Role first, Role... rest) {
		return Set.copyOf(EnumSet.of(first, rest));
	}

	private static final class Reasons {

		static final String POOL = "Lettuce multiplexes one connection, so there is no pool to size";

		static final String MYSQL = "box statistics are kept in Redis, there is no MySQL";

		static final String PATHS = "the paths are fixed by the protocol (/dandelion/..., /dandelion/ws/)";

	}

}
