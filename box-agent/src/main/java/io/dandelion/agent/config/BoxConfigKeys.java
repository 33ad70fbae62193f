package io.dandelion.agent.config;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ConfigKey;
import io.dandelion.support.config.ValueType;

/**
 * The keys of {@code config.yaml} only the box reads ({@code BOX_*} and a few more), each
 * with the {@link BoxProperties} setting it sets; the keys it shares with other roles are
 * in {@code SharedConfigKeys}. Defaults are the record's {@code @DefaultValue}s, or the
 * Spring defaults of {@code application.yml}; a key states its default only when neither
 * holds one.
 */
public final class BoxConfigKeys {

	/** Address the box binds to and reports as its IP. */
	public static final ConfigKey BOX_SERVER_IP = key("BOX_SERVER_IP", ValueType.ipAddress(false),
			"IPv4 or IPv6 address the box binds to and reports as its IP (0.0.0.0: all interfaces). Unlike the "
					+ "original, which only reported it, the box really binds to it.",
			"server.address", "box.server-ip");

	/** A static public IP for the box. */
	public static final ConfigKey BOX_CLIENT_IP = key("BOX_CLIENT_IP", ValueType.ipAddress(true),
			"Static public IP of the box; empty means detect it.", "box.client-ip")
		.defaultValue("empty");

	/** HTTP and WebSocket port of the box. */
	public static final ConfigKey BOX_PORT = key("BOX_PORT", ValueType.port(), "HTTP and WebSocket port of the box.",
			"server.port");

	/** Port of the TLS proxy in front of the box. */
	public static final ConfigKey BOX_SERVER_PROXY_PORT = key("BOX_SERVER_PROXY_PORT", ValueType.port(),
			"Port of the TLS proxy (nginx) in front of the box, advertised instead of BOX_PORT when set. The "
					+ "original's example used 7070.",
			"box.server-proxy-port")
		.defaultValue("none")
		.example("7070");

	/** Box heartbeat period. */
	public static final ConfigKey BOX_PING_ENTRANCE_FREQ = key("BOX_PING_ENTRANCE_FREQ", ValueType.seconds(),
			"Seconds between two EXCHANGE heartbeats to each entrance.", "box.ping-entrance-freq");

	/** Declared uplink capacity of the box's household (new). */
	public static final ConfigKey BOX_UPLINK_MBPS = key("BOX_UPLINK_MBPS", ValueType.positiveInt(),
			"Upload capacity of the box's Internet connection in Mbit/s, reported to entrances as UPLINK-MBPS so "
					+ "that they can rank boxes (new).",
			"box.sysinfo.uplink-mbps");

	/** Entrance keys whose publish tickets a box accepts (new). */
	public static final ConfigKey ENTRANCE_PUBLIC_KEYS = key("ENTRANCE_PUBLIC_KEYS",
			ValueType.listOf(ValueType.string(), "a list of keys"),
			"Ed25519 public keys of the entrances whose publish tickets (PUBLISH_TICKET) this box accepts: 43 "
					+ "characters of Base64url each, as GET /dandelion/api/v1/keys on an entrance shows (new). In strict "
					+ "mode a box with none accepts no publisher. In an environment variable: comma-separated.",
			"box.security.entrance-public-keys")
		.example("[8Nf2Yd1wqv3gHc5nLxQeKtRz0aBmUo9pSjV7iWk4E6c]");

	/** Largest binary file frame a box accepts (new). */
	public static final ConfigKey BOX_MAX_FRAME_SIZE = key("BOX_MAX_FRAME_SIZE", ValueType.byteSize(),
			"Largest file frame a box accepts: one WebSocket message of tags, header and content (new). Sizes are "
					+ "bytes, or a number with B, KB, MB, GB or TB.",
			"box.store.max-frame-size");

	/** Most bytes a box stores in total (new). */
	public static final ConfigKey BOX_MAX_STORAGE = key("BOX_MAX_STORAGE", ValueType.byteSize(),
			"Most bytes of stored files the box keeps; frames over it are refused with QUOTA_EXCEEDED (new). "
					+ "Nothing is evicted before it expires.",
			"box.store.max-storage");

	/** Most bytes a box stores for one publisher (new). */
	public static final ConfigKey BOX_MAX_STORAGE_PER_PUBLISHER = key("BOX_MAX_STORAGE_PER_PUBLISHER",
			ValueType.byteSize(),
			"Most bytes of stored files the box keeps for one publisher, so that one publisher cannot fill the store "
					+ "and starve the others; frames over it are refused with PUBLISHER_QUOTA_EXCEEDED (new). Must be "
					+ "positive; a value above BOX_MAX_STORAGE limits nothing (the box warns at start-up), one equal to it "
					+ "lets a single publisher use the whole store.",
			"box.store.max-storage-per-publisher")
		.defaultValue("half of BOX_MAX_STORAGE")
		.example("512MB");

	/** Free space a box leaves on the store's file system (new). */
	public static final ConfigKey BOX_MIN_FREE_DISK = key("BOX_MIN_FREE_DISK", ValueType.byteSize(),
			"Free space the box always leaves on the file system of BASE_DIRECTORY; frames that would eat into it "
					+ "are refused with DISK_RESERVE (new).",
			"box.store.min-free-disk");

	/** Period of the box's TTL sweeper. */
	public static final ConfigKey BOX_EXPIRE_FILES_FREQ = key("BOX_EXPIRE_FILES_FREQ", ValueType.seconds(),
			"Seconds between two sweeps for expired files (the original hard-coded 10).",
			"box.store.expire-files-freq");

	/**
	 * Period of the box's reconciliation of its files with their expiry records (new).
	 */
	public static final ConfigKey BOX_RECONCILE_FILES_FREQ = key("BOX_RECONCILE_FILES_FREQ", ValueType.seconds(),
			"Seconds between two reconciliations of the stored files with their expiry records in Redis, the first "
					+ "at start-up (new). Each file's expiry is also kept beside it on disk (a .dandelion-ttl-… sidecar), "
					+ "so a record Redis lost (restarted without persistence, or flushed) is restored, a file that "
					+ "expired meanwhile removed and a record of a missing file dropped.",
			"box.store.reconcile-files-freq");

	/**
	 * How long a box keeps a file it finds with neither expiry record nor sidecar (new).
	 */
	public static final ConfigKey BOX_UNRECORDED_FILE_TTL = key("BOX_UNRECORDED_FILE_TTL", ValueType.seconds(),
			"Seconds a file found with neither an expiry record nor a sidecar (stored by an earlier version of the "
					+ "box, whose records Redis lost) is kept after it was last written; 0 keeps it, as a file stored "
					+ "with TTL 0 (new).",
			"box.store.unrecorded-file-ttl");

	/** Which web server serves the stored files to viewers (new). */
	public static final ConfigKey BOX_FILE_SERVER = key("BOX_FILE_SERVER",
			ValueType.oneOf("nginx", "builtin", "external"),
			"Who serves the stored files to viewers on BOX_DATA_PORT (new):\n"
					+ "  builtin  - the box itself (no nginx needed)\n"
					+ "  nginx    - the box writes nginx.conf into BOX_RUN_DIRECTORY, starts NGINX_BINARY and supervises it\n"
					+ "  external - the box only writes nginx.conf; run nginx yourself\n"
					+ "             (java -jar box-agent-exec.jar --print-nginx-config prints it)",
			"box.serving.file-server");

	/** Port viewers fetch stored files from. */
	public static final ConfigKey BOX_DATA_PORT = key("BOX_DATA_PORT", ValueType.port(),
			"Port viewers fetch files from: http://IP:BOX_DATA_PORT/{publisher-id}{FILE_PATH} (the original "
					+ "hard-coded 7072).",
			"box.serving.data-port");

	/** The nginx executable a box starts (new). */
	public static final ConfigKey NGINX_BINARY = key("NGINX_BINARY", ValueType.string(),
			"The nginx executable the box starts when BOX_FILE_SERVER is nginx, a path or a name looked up in PATH "
					+ "(Debian: /usr/sbin/nginx) (new).",
			"box.serving.nginx-binary")
		.example("/usr/sbin/nginx");

	/** Where a box keeps its web server's runtime files (new). */
	public static final ConfigKey BOX_RUN_DIRECTORY = key("BOX_RUN_DIRECTORY", ValueType.path(),
			"Directory of the generated nginx.conf, nginx's pid and temp files, error.log and access.log (new). The "
					+ "file server writes its access log there in nginx's\n"
					+ "  log_format dandelion '$remote_addr [$time_local] \"$request\" $status $bytes_sent';\n"
					+ "the box reads it (never deletes it) to report served traffic.",
			"box.serving.run-directory")
		.defaultValue("<BASE_DIRECTORY>/run")
		.example("/var/lib/dandelion/run");

	/** The user a box's nginx runs its worker processes as (new). */
	public static final ConfigKey BOX_NGINX_USER = key("BOX_NGINX_USER", ValueType.string(),
			"The user (optionally followed by a group) nginx's worker processes run as when a box running as root "
					+ "starts nginx: the \"user\" directive of the generated nginx.conf; none means nginx's own default, "
					+ "nobody on Debian (new). The workers read the store: that user must be able to enter every "
					+ "directory above BASE_DIRECTORY and read the files. In nginx mode the box fetches a probe file "
					+ "through nginx at start-up and refuses to start when it cannot, naming the directory that stops the "
					+ "workers (e.g. a store under /root or a mktemp -d directory, mode 0700). Rather than \"root\", which "
					+ "runs the workers as root as the original did, prefer a BASE_DIRECTORY nobody can read.",
			"box.serving.nginx-user")
		.defaultValue("none")
		.example("www-data");

	private BoxConfigKeys() {
	}

	private static ConfigKey key(String name, ValueType type, String help, String... properties) {
		return ConfigKey.of(Role.BOX, name, type, help, properties);
	}

}
