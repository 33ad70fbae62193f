package io.dandelion.entrance.config;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ConfigKey;
import io.dandelion.support.config.ValueType;

/**
 * The keys of {@code entrance-config.yaml} only the entrance reads, each with the
 * {@link EntranceProperties} setting it sets; the keys it shares with other roles are in
 * {@code SharedConfigKeys}. Defaults are the record's {@code @DefaultValue}s, or the
 * Spring defaults of {@code application.yml}; a key states its default only when neither
 * holds one.
 */
public final class EntranceConfigKeys {

	/** Public IP the entrance advertises. */
	public static final ConfigKey ENTRANCE_IP = key("ENTRANCE_IP", ValueType.ipAddress(true),
			"Public IPv4 or IPv6 address the entrance advertises in OWN_INFO and in its own WebSocket URL.",
			"entrance.ip")
		.defaultValue("empty");

	/** HTTP and WebSocket port of the entrance. */
	public static final ConfigKey ENTRANCE_PORT = key("ENTRANCE_PORT", ValueType.port(),
			"HTTP and WebSocket port of the entrance.", "server.port");

	/** Port of the TLS proxy in front of the entrance. */
	public static final ConfigKey ENTRANCE_SERVER_PROXY_PORT = key("ENTRANCE_SERVER_PROXY_PORT", ValueType.port(),
			"Port of the TLS proxy (nginx) in front of the entrance. When set, the entrance's own URL is "
					+ "https://ENTRANCE_IP:ENTRANCE_SERVER_PROXY_PORT/dandelion/ws/, else "
					+ "http://ENTRANCE_IP:ENTRANCE_PORT/dandelion/ws/. The original's example used 7070.",
			"entrance.server-proxy-port")
		.defaultValue("none")
		.example("7070");

	/** Time after which a silent box is dropped. */
	public static final ConfigKey ENTRANCE_EXPIRE_BOX_TIME = key("ENTRANCE_EXPIRE_BOX_TIME", ValueType.seconds(),
			"Seconds after its last EXCHANGE before a box is dropped.", "entrance.expire-box-time");

	/** Size limit of a SEARCH reply. */
	public static final ConfigKey AMOUNT_OF_BOXES_PER_REQUEST = key("AMOUNT_OF_BOXES_PER_REQUEST",
			ValueType.positiveInt(), "Maximum number of boxes in a SEARCH reply.",
			"entrance.amount-of-boxes-per-request");

	/** Other entrances handed to boxes. */
	public static final ConfigKey ENTRANCE_OTHER_URLS = key("ENTRANCE_OTHER_URLS", ValueType.urlList(),
			"Other entrances' WebSocket URLs (http, https, ws or wss), handed to boxes in EXCHANGE replies. In an "
					+ "environment variable: comma-separated.",
			"entrance.other-urls")
		.example("[https://198.51.100.2:7070/dandelion/ws/]");

	/** Per-network cap of a SEARCH reply (new). */
	public static final ConfigKey ENTRANCE_MAX_BOXES_PER_NETWORK = key("ENTRANCE_MAX_BOXES_PER_NETWORK",
			ValueType.positiveInt(),
			"Most boxes of one IPv4 /24 (IPv6 /48) in one SEARCH reply, so that a publisher's copies do not all sit "
					+ "behind one household or ISP link (new).",
			"entrance.max-boxes-per-network");

	/** How many live boxes a SEARCH ranks (new). */
	public static final ConfigKey ENTRANCE_MAX_SEARCH_CANDIDATES = key("ENTRANCE_MAX_SEARCH_CANDIDATES",
			ValueType.positiveInt(), "How many of the most recently heard boxes a SEARCH ranks at most (new).",
			"entrance.max-search-candidates");

	/** Heartbeat rate limit per box (new). */
	public static final ConfigKey ENTRANCE_MAX_EXCHANGES_PER_MINUTE = key("ENTRANCE_MAX_EXCHANGES_PER_MINUTE",
			ValueType.positiveInt(),
			"Most heartbeats one box may send this entrance per minute; further ones are refused with RATE_LIMITED "
					+ "and not stored (new).",
			"entrance.registration.max-exchanges-per-minute");

	/** Registration cap per network (new). */
	public static final ConfigKey ENTRANCE_MAX_LIVE_BOXES_PER_NETWORK = key("ENTRANCE_MAX_LIVE_BOXES_PER_NETWORK",
			ValueType.positiveInt(),
			"Most live boxes of one IPv4 /24 (IPv6 /48); a further box is refused with NETWORK_FULL until one of them "
					+ "expires (new).",
			"entrance.registration.max-live-boxes-per-network");

	/** How long a box must be live before its own figures count in full (new). */
	public static final ConfigKey ENTRANCE_CLAIMS_TRUSTED_AFTER = key("ENTRANCE_CLAIMS_TRUSTED_AFTER",
			ValueType.seconds(),
			"Seconds a box must have been live before the figures it reports about itself (storage, bandwidth, CPU) "
					+ "count in full in the ranking; until then they are drawn towards neutral in proportion; 0 trusts "
					+ "them at once (new). The other ranking weights are Spring properties (no YAML key): for example the "
					+ "environment variables ENTRANCE_RANKING_WEIGHTS_STORAGE=0.15, ..._BANDWIDTH=0.25, ..._CPU=0.1, "
					+ "..._FRESHNESS=0.15 and ENTRANCE_RANKING_SELECTIVITY=3 (0 draws uniformly at random).",
			"entrance.ranking.claims-trusted-after");

	/** How strongly distance to the audience counts in SEARCH (new). */
	public static final ConfigKey ENTRANCE_DISTANCE_WEIGHT = key("ENTRANCE_DISTANCE_WEIGHT",
			ValueType.nonNegativeDecimal(),
			"How strongly a box's distance to a publisher's viewers (its AUDIENCE, else the publisher) counts in "
					+ "SEARCH: the mean of the other parts is multiplied by the box's nearness, 1 / (1 + km / 1000), "
					+ "raised to this power. 1 by default; 0 leaves distance out; 2 counts it twice as strongly (new).",
			"entrance.ranking.weights.distance")
		.defaultValue("1");

	/** Token of the entrance's administrative REST calls (new). */
	public static final ConfigKey ENTRANCE_ADMIN_TOKEN = key("ENTRANCE_ADMIN_TOKEN", ValueType.string(),
			"Bearer token that the REST calls changing state need (issuing and revoking credentials, adding and "
					+ "removing entrances): Authorization: Bearer TOKEN; none refuses them all in strict mode (new).",
			"entrance.security.admin-token")
		.defaultValue("none")
		.example("change-me-to-a-long-random-string");

	/** The entrance's Ed25519 key file (new). */
	public static final ConfigKey ENTRANCE_SIGNING_KEY = key("ENTRANCE_SIGNING_KEY", ValueType.path(),
			"PEM file of the entrance's Ed25519 key pair, which signs the publish tickets in SEARCH replies; created "
					+ "with mode 600 when missing (new).",
			"entrance.security.signing-key")
		.defaultValue("<BASE_DIRECTORY>/entrance-signing-key.pem")
		.example("/var/lib/dandelion/entrance-signing-key.pem");

	/** Lifetime of publish tickets (new). */
	public static final ConfigKey PUBLISH_TICKET_TTL = key("PUBLISH_TICKET_TTL", ValueType.seconds(),
			"Seconds a publish ticket in a SEARCH reply stays valid; a box checks it when a publisher connects (new).",
			"entrance.security.ticket-ttl");

	/** Expiry sweep period (new). */
	public static final ConfigKey ENTRANCE_SWEEP_FREQ = key("ENTRANCE_SWEEP_FREQ", ValueType.seconds(),
			"Seconds between two sweeps for boxes whose expiry has passed, so a silent box is gone within a second of "
					+ "ENTRANCE_EXPIRE_BOX_TIME (new; the original swept every 5 s).",
			"entrance.sweep-period");

	/** Proxies whose X-Forwarded-For is believed (new). */
	public static final ConfigKey ENTRANCE_TRUSTED_PROXIES = key("ENTRANCE_TRUSTED_PROXIES",
			ValueType.listOf(ValueType.ipAddress(false), "a list of IP addresses"),
			"Addresses of reverse proxies (e.g. the TLS nginx) whose X-Forwarded-For header gives the client's "
					+ "address; empty believes nobody (new).",
			"entrance.trusted-proxies");

	/** Federation check period (new). */
	public static final ConfigKey ENTRANCE_CHECK_OTHERS_FREQ = key("ENTRANCE_CHECK_OTHERS_FREQ", ValueType.seconds(),
			"Seconds between two checks of every other entrance's greeting page GET /dandelion/ (new).",
			"entrance.federation.check-period");

	/** When an unreachable entrance is left out (new). */
	public static final ConfigKey ENTRANCE_UNREACHABLE_TIME = key("ENTRANCE_UNREACHABLE_TIME", ValueType.seconds(),
			"Seconds another entrance may fail its checks before it is left out of replies (new).",
			"entrance.federation.unreachable-after");

	/** Traffic dedupe window (new). */
	public static final ConfigKey ENTRANCE_TRAFFIC_DEDUPE_TIME = key("ENTRANCE_TRAFFIC_DEDUPE_TIME",
			ValueType.seconds(),
			"Seconds a box's traffic log ID is remembered, so that an entry reported twice counts once (new).",
			"entrance.traffic.dedupe-window");

	/** Traffic history length (new). */
	public static final ConfigKey ENTRANCE_TRAFFIC_HISTORY = key("ENTRANCE_TRAFFIC_HISTORY", ValueType.positiveInt(),
			"About how many of each box's latest traffic entries its history stream keeps (new).",
			"entrance.traffic.history-cap");

	/** Whether boxes are probed (new). */
	public static final ConfigKey ENTRANCE_PROBE_BOXES = key("ENTRANCE_PROBE_BOXES", ValueType.bool(),
			"true: the entrance fetches a probe object from each live box's data port every ENTRANCE_PROBE_FREQ, as a "
					+ "viewer would, ranks boxes by the time to first byte and throughput it measured, and leaves a box "
					+ "that fails ENTRANCE_PROBE_SUSPEND_AFTER probes in a row out of SEARCH replies; false: no probes, "
					+ "no suspensions (new). At most entrance.probe.concurrency (16) probes run at once.",
			"entrance.probe.enabled");

	/** Probe period (new). */
	public static final ConfigKey ENTRANCE_PROBE_FREQ = key("ENTRANCE_PROBE_FREQ", ValueType.secondsAtLeast("0.1"),
			"Seconds between two probes of one box's data port (new). Entrance processes sharing one ID and Redis "
					+ "probe each box once per period between them.",
			"entrance.probe.period");

	/** Probe timeout (new). */
	public static final ConfigKey ENTRANCE_PROBE_TIMEOUT = key("ENTRANCE_PROBE_TIMEOUT",
			ValueType.secondsAtLeast("0.1"),
			"Seconds one probe may take, connecting and reading the whole probe object included, before it counts as "
					+ "failed (new).",
			"entrance.probe.timeout");

	/** Failed probes before suspension (new). */
	public static final ConfigKey ENTRANCE_PROBE_SUSPEND_AFTER = key("ENTRANCE_PROBE_SUSPEND_AFTER",
			ValueType.positiveInt(),
			"Failed probes in a row that suspend a box: it stays registered but is left out of SEARCH replies (new). "
					+ "One failed probe never suspends a box unless this is 1.",
			"entrance.probe.suspend-after");

	/** Successful probes before reinstatement (new). */
	public static final ConfigKey ENTRANCE_PROBE_REINSTATE_AFTER = key("ENTRANCE_PROBE_REINSTATE_AFTER",
			ValueType.positiveInt(), "Successful probes in a row that reinstate a suspended box (new).",
			"entrance.probe.reinstate-after");

	/** How long a box may stay suspended (new). */
	public static final ConfigKey ENTRANCE_PROBE_DROP_AFTER = key("ENTRANCE_PROBE_DROP_AFTER",
			ValueType.secondsAtLeast("1"),
			"Seconds a box may stay suspended before it is dropped from the directory as if it had gone silent; if it "
					+ "heartbeats again it comes back still suspended, until it passes ENTRANCE_PROBE_REINSTATE_AFTER "
					+ "probes (new).",
			"entrance.probe.drop-after");

	private EntranceConfigKeys() {
	}

	private static ConfigKey key(String name, ValueType type, String help, String... properties) {
		return ConfigKey.of(Role.ENTRANCE, name, type, help, properties);
	}

}
