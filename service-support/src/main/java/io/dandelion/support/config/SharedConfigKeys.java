package io.dandelion.support.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.redis.RedisOutageAutoConfiguration;

/**
 * The keys of the configuration file that more than one role reads (Redis, storage root,
 * TLS, trust, connection limits), and the original's keys we accept but ignore. Each
 * service declares the keys only it reads beside its properties record.
 */
public final class SharedConfigKeys {

	/** Host of the node's own Redis. */
	public static final ConfigKey REDIS_HOST = ConfigKey.of(ConfigKey.ALL_ROLES, "REDIS_HOST", ValueType.string(),
			"Host of this node's Redis (in Docker compose, its service name); unused with REDIS_CLUSTER_NODES.",
			"spring.data.redis.host");

	/** Port of the node's own Redis. */
	public static final ConfigKey REDIS_PORT = ConfigKey.of(ConfigKey.ALL_ROLES, "REDIS_PORT", ValueType.port(),
			"Port of this node's Redis; unused with REDIS_CLUSTER_NODES.", "spring.data.redis.port");

	/** The nodes of a Redis Cluster the node uses instead of one Redis (new). */
	public static final ConfigKey REDIS_CLUSTER_NODES = ConfigKey.of(ConfigKey.ALL_ROLES, "REDIS_CLUSTER_NODES",
			ValueType.hostPortList(),
			"Some nodes (host:port) of a Redis Cluster to use instead of the one Redis of REDIS_HOST and REDIS_PORT "
					+ "(new); the others are found from them, and a failover is followed. The node then writes the "
					+ "cluster key layout ({ID}:KEY, see REDIS_KEY_LAYOUT); DB must stay 0. In an environment "
					+ "variable: comma-separated.",
			"spring.data.redis.cluster.nodes")
		.defaultValue("none")
		.example("[10.0.0.11:6379, 10.0.0.12:6379, 10.0.0.13:6379]");

	/** Password of the node's own Redis (new: the original had none). */
	public static final ConfigKey REDIS_PASSWORD = ConfigKey
		.of(ConfigKey.ALL_ROLES, "REDIS_PASSWORD", ValueType.string(),
				"Password of this node's Redis (new; the original had none).", "spring.data.redis.password")
		.defaultValue("none")
		.example("secret");

	/** Redis database index. */
	public static final ConfigKey DB = ConfigKey
		.of(ConfigKey.ALL_ROLES, "DB", ValueType.nonNegativeInt(),
				"Redis database index; a Redis Cluster (REDIS_CLUSTER_NODES) has database 0 only.",
				"spring.data.redis.database")
		.defaultValue("0");

	/** How long a Redis command may wait for its answer (new). */
	public static final ConfigKey REDIS_COMMAND_TIMEOUT = ConfigKey.of(ConfigKey.ALL_ROLES, "REDIS_COMMAND_TIMEOUT",
			ValueType.secondsAtLeast("1.5"),
			"Seconds a Redis command may wait for its answer, at least 1.5 (new; a publisher waits up to 1 s on its queue). "
					+ "Past it the request that needed it fails (HTTP 503 with Retry-After, ERROR_CODE UNAVAILABLE) instead of hanging; "
					+ "while the connection is down commands fail at once, and the service reconnects by itself "
					+ "(docs/operations.md, \"Redis unavailable\").",
			"spring.data.redis.timeout")
		.defaultValue(seconds(RedisOutageAutoConfiguration.COMMAND_TIMEOUT.toMillis()))
		.example(seconds(RedisOutageAutoConfiguration.COMMAND_TIMEOUT.toMillis()));

	/** How long connecting to Redis may take (new). */
	public static final ConfigKey REDIS_CONNECT_TIMEOUT = ConfigKey
		.of(ConfigKey.ALL_ROLES, "REDIS_CONNECT_TIMEOUT", ValueType.secondsAtLeast("0.1"),
				"Seconds connecting to this node's Redis may take, at least 0.1 (new).",
				"spring.data.redis.connect-timeout")
		.defaultValue(seconds(RedisOutageAutoConfiguration.CONNECT_TIMEOUT.toMillis()))
		.example(seconds(RedisOutageAutoConfiguration.CONNECT_TIMEOUT.toMillis()));

	/** How the node's ID starts its Redis keys (new). */
	public static final ConfigKey REDIS_KEY_LAYOUT = ConfigKey
		.of(ConfigKey.ALL_ROLES, "REDIS_KEY_LAYOUT", ValueType.oneOf("original", "cluster"),
				"How the node's ID starts its Redis keys (new): original writes ID:KEY, the layout the original's "
						+ "FileManager, channel module and PHP pages read and write; cluster writes {ID}:KEY, a Redis "
						+ "Cluster hash tag, so that every key of one node lands in one slot. With REDIS_CLUSTER_NODES "
						+ "the node refuses to start with original.",
				"{role}.redis-key-layout")
		.defaultValue("cluster with REDIS_CLUSTER_NODES, else original")
		.example("original");

	/** Storage root and home of the ID file. */
	public static final ConfigKey BASE_DIRECTORY = ConfigKey
		.of(ConfigKey.ALL_ROLES, "BASE_DIRECTORY", ValueType.path(),
				"Directory holding the node's ID file (entrance-id.txt, box-id.txt, publisher-id.txt); for a box also "
						+ "the root of the stored files, which must be the root nginx serves.",
				"{role}.base-directory");

	/** The entrances a box registers with and a publisher searches. */
	public static final ConfigKey ENTRANCE_URLS = ConfigKey.of(Set.of(Role.BOX, Role.PUBLISHER), "ENTRANCE_URLS",
			ValueType.urlList(),
			"Entrance WebSocket URLs (http, https, ws or wss): a box registers with them (and learns others from "
					+ "their replies), a publisher searches them for boxes. In an environment variable: comma-separated.",
			"{role}.entrance-urls")
		.example("[http://127.0.0.1:7071/dandelion/ws/, https://ENTRANCE_IP:7070/dandelion/ws/]");

	/** Certificates the node's clients trust besides the JDK's (new). */
	public static final ConfigKey TLS_TRUSTED_CERTIFICATES = ConfigKey.of(ConfigKey.ALL_ROLES,
			"TLS_TRUSTED_CERTIFICATES", ValueType.path(),
			"PEM file of certificates the node's clients trust besides the JDK's authorities (new): a box's "
					+ "connections to entrances, a publisher's to entrances and boxes, an entrance's checks of other "
					+ "entrances; e.g. the self-signed certificate of an original box or entrance behind its TLS proxy. "
					+ "Certificates and host names are always verified; there is no setting that skips it.",
			"dandelion.tls.trusted-certificates")
		.defaultValue("none")
		.example("/etc/dandelion/trusted.pem");

	/** The certificate the node serves HTTPS and WSS with (new). */
	public static final ConfigKey TLS_CERTIFICATE = ConfigKey.of(ConfigKey.ALL_ROLES, "TLS_CERTIFICATE",
			ValueType.path(),
			"PEM file of the certificate chain this node serves HTTPS and WSS with, TLS 1.2 and 1.3 only (new); "
					+ "without it, plain HTTP. Its URLs are then https:// (clients open wss://). A box serves its data "
					+ "port (BOX_DATA_PORT) over HTTPS with it too, and says DATA_SCHEME: https, so publishers hand out "
					+ "https:// viewer URLs; the certificate must name the node's public address. "
					+ "./dandelion certificate DIR IP... makes a self-signed pair for a local run; give the certificate "
					+ "to the clients in TLS_TRUSTED_CERTIFICATES.",
			"server.ssl.certificate")
		.defaultValue("none")
		.example("/etc/dandelion/tls/certificate.pem");

	/** The private key of TLS_CERTIFICATE (new). */
	public static final ConfigKey TLS_PRIVATE_KEY = ConfigKey
		.of(ConfigKey.ALL_ROLES, "TLS_PRIVATE_KEY", ValueType.path(),
				"PEM file of the private key of TLS_CERTIFICATE (new).", "server.ssl.certificate-private-key")
		.defaultValue("none")
		.example("/etc/dandelion/tls/private-key.pem");

	/** Whether the node insists on credentials, tickets and signed URLs (new). */
	public static final ConfigKey SECURITY_MODE = ConfigKey.of(ConfigKey.ALL_ROLES, "SECURITY_MODE",
			ValueType.oneOf("strict", "compatible"),
			"strict or compatible (new). strict: every EXCHANGE must prove a box credential and every SEARCH a "
					+ "publisher credential, a box accepts a publisher only with an entrance's publish ticket, and viewer "
					+ "URLs must be signed. compatible also accepts the original nodes' unauthenticated messages (but "
					+ "never an unsigned one for an ID that has a credential) and unsigned URLs, so that a network "
					+ "migrates node by node; the node logs a warning at start-up while it is on.",
			"dandelion.security.mode");

	/** The credential an entrance issued to this box or publisher (new). */
	public static final ConfigKey CREDENTIAL = ConfigKey.of(Set.of(Role.BOX, Role.PUBLISHER), "CREDENTIAL",
			ValueType.string(),
			"The credential the entrance's operator issued to this node, ID:SECRET (new): "
					+ "PUT /dandelion/api/v1/credentials/{id} on the entrance with its admin token. The node takes its "
					+ "ID from it (a box-id.txt or publisher-id.txt holding another ID stops it with a message) and signs "
					+ "every EXCHANGE or SEARCH with it.",
			"dandelion.security.credential")
		.defaultValue("none")
		.example("box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60:q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80");

	/** Whether viewer URLs of box files are signed and checked (new). */
	public static final ConfigKey SIGNED_VIEWER_URLS = ConfigKey.of(Set.of(Role.BOX, Role.PUBLISHER),
			"SIGNED_VIEWER_URLS", ValueType.bool(),
			"true: a box's file server answers 403 to a file URL without a valid, unexpired signature (nginx "
					+ "secure_link md5 and expires), and the publisher signs the URLs it sends viewers to; false for a "
					+ "public demo (new).",
			"dandelion.security.signed-viewer-urls");

	/** Connections one client address may hold (new). */
	public static final ConfigKey MAX_CONNECTIONS_PER_IP = ConfigKey.of(ConfigKey.ALL_ROLES, "MAX_CONNECTIONS_PER_IP",
			ValueType.positiveInt(),
			"Connections one client address may hold open on this node's HTTP and WebSocket port; a further one is "
					+ "closed as it opens (new).",
			"dandelion.limits.max-connections-per-ip");

	/** Silence after which a connection is closed (new). */
	public static final ConfigKey IDLE_TIMEOUT = ConfigKey.of(ConfigKey.ALL_ROLES, "IDLE_TIMEOUT", ValueType.seconds(),
			"Seconds a connection to this node's HTTP and WebSocket port may stay silent before it is closed; 0 never "
					+ "closes one (new). Keep it above the heartbeat period of the boxes.",
			"dandelion.limits.idle-timeout");

	/** GeoIP database of the entrance and the publisher (new). */
	public static final ConfigKey GEOIP_DATABASE = ConfigKey.of(Set.of(Role.ENTRANCE, Role.PUBLISHER), "GEOIP_DATABASE",
			ValueType.path(),
			"MaxMind or DB-IP City database (.mmdb) the entrance places boxes and publishers with, and the "
					+ "publisher viewers (new). The bundled one holds 2019 data (CC BY-SA 4.0), stale: point this at a "
					+ "current file for real use.",
			"{role}.geoip-database")
		.defaultValue("the bundled GeoLite2 City of 2019")
		.example("/var/lib/GeoIP/GeoLite2-City.mmdb");

	/** How the node writes its log (new). */
	public static final ConfigKey LOG_FORMAT = ConfigKey.of(ConfigKey.ALL_ROLES, "LOG_FORMAT",
			ValueType.oneOf(LogFormat.SPRING_FORMATS),
			"text or json: how the node writes its log to standard output (new). text: a line per event, for "
					+ "people; json: a JSON object per line in the Elastic Common Schema (Spring Boot's structured "
					+ "logging, ecs), with the time, level, logger, thread, message and stack trace as fields, for a "
					+ "log collector. Spring Boot's own LOGGING_STRUCTURED_FORMAT_CONSOLE (ecs, logstash or gelf) "
					+ "overrides it.",
			"logging.structured.format.console")
		.defaultValue("text")
		.example("json");

	/** Ignored: Redis pool size of the original box server. */
	public static final ConfigKey SERVER_REDIS_MINSIZE = ConfigKey.ignored(Set.of(Role.BOX), "SERVER_REDIS_MINSIZE",
			Reasons.POOL);

	/** Ignored: Redis pool size of the original box server. */
	public static final ConfigKey SERVER_REDIS_MAXSIZE = ConfigKey.ignored(Set.of(Role.BOX), "SERVER_REDIS_MAXSIZE",
			Reasons.POOL);

	/** Ignored: Redis pool size of the original box client. */
	public static final ConfigKey CLIENT_REDIS_MINSIZE = ConfigKey.ignored(Set.of(Role.BOX), "CLIENT_REDIS_MINSIZE",
			Reasons.POOL);

	/** Ignored: Redis pool size of the original box client. */
	public static final ConfigKey CLIENT_REDIS_MAXSIZE = ConfigKey.ignored(Set.of(Role.BOX), "CLIENT_REDIS_MAXSIZE",
			Reasons.POOL);

	/** Ignored: Redis pool size of the original publisher. */
	public static final ConfigKey PUBLISHER_REDIS_MINSIZE = ConfigKey.ignored(Set.of(Role.PUBLISHER),
			"PUBLISHER_REDIS_MINSIZE", Reasons.POOL);

	/** Ignored: Redis pool size of the original publisher. */
	public static final ConfigKey PUBLISHER_REDIS_MAXSIZE = ConfigKey.ignored(Set.of(Role.PUBLISHER),
			"PUBLISHER_REDIS_MAXSIZE", Reasons.POOL);

	/** Ignored: Redis pool size of the original entrance. */
	public static final ConfigKey ENTRANCE_REDIS_MINSIZE = ConfigKey.ignored(Set.of(Role.ENTRANCE),
			"ENTRANCE_REDIS_MINSIZE", Reasons.POOL);

	/** Ignored: Redis pool size of the original entrance. */
	public static final ConfigKey ENTRANCE_REDIS_MAXSIZE = ConfigKey.ignored(Set.of(Role.ENTRANCE),
			"ENTRANCE_REDIS_MAXSIZE", Reasons.POOL);

	/** Ignored: the original entrance's MySQL. */
	public static final ConfigKey ENTRANCE_MYSQL_HOST = ConfigKey.ignored(Set.of(Role.ENTRANCE), "ENTRANCE_MYSQL_HOST",
			Reasons.MYSQL);

	/** Ignored: the original entrance's MySQL. */
	public static final ConfigKey ENTRANCE_MYSQL_PORT = ConfigKey.ignored(Set.of(Role.ENTRANCE), "ENTRANCE_MYSQL_PORT",
			Reasons.MYSQL);

	/** Ignored: the original entrance's MySQL. */
	public static final ConfigKey ENTRANCE_MYSQL_USER = ConfigKey.ignored(Set.of(Role.ENTRANCE), "ENTRANCE_MYSQL_USER",
			Reasons.MYSQL);

	/** Ignored: the original entrance's MySQL. */
	public static final ConfigKey ENTRANCE_MYSQL_PASSWORD = ConfigKey.ignored(Set.of(Role.ENTRANCE),
			"ENTRANCE_MYSQL_PASSWORD", Reasons.MYSQL);

	/** Ignored: the original entrance's MySQL. */
	public static final ConfigKey ENTRANCE_MYSQL_DB = ConfigKey.ignored(Set.of(Role.ENTRANCE), "ENTRANCE_MYSQL_DB",
			Reasons.MYSQL);

	/** Ignored: the original's URL prefix. */
	public static final ConfigKey BASE_URL = ConfigKey.ignored(ConfigKey.ALL_ROLES, "BASE_URL", Reasons.PATHS);

	/** Ignored: the original's WebSocket path segment. */
	public static final ConfigKey WEBSOCKET_URL = ConfigKey.ignored(ConfigKey.ALL_ROLES, "WEBSOCKET_URL",
			Reasons.PATHS);

	private SharedConfigKeys() {
	}

	/** A duration as the file writes it: seconds, with a fraction when needed. */
	private static String seconds(long millis) {
		return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
	}

	private static final class LogFormat {

		/**
		 * Each LOG_FORMAT to Spring Boot's console format; empty is Boot's plain text
		 * layout.
		 */
		static final Map<String, String> SPRING_FORMATS = orderedMap("text", "", "json", "ecs");

		private static Map<String, String> orderedMap(String... namesAndValues) {
			Map<String, String> map = new LinkedHashMap<>();
			for (int i = 0; i < namesAndValues.length; i += 2) {
				map.put(namesAndValues[i], namesAndValues[i + 1]);
			}
			return map;
		}

	}

	private static final class Reasons {

		static final String POOL = "Lettuce multiplexes one connection, so there is no pool to size";

		static final String MYSQL = "box statistics are kept in Redis, there is no MySQL";

		static final String PATHS = "the paths are fixed by the protocol (/dandelion/..., /dandelion/ws/)";

	}

}
