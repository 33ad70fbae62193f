package io.dandelion.protocol.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.protocol.redis.RedisKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.embedded.RedisServer;

/**
 * The Redis server all tests of one JVM share. Chosen once:
 * {@code DANDELION_TEST_REDIS_URL} when set (CI points it at the machine's Redis), else a
 * {@code redis:7} container when a Docker engine is reachable, else the embedded Redis 7
 * binary of {@code org.signal:embedded-redis} on a free loopback port. When none can be
 * had, every call fails with a message saying why: no test is skipped for lack of Redis.
 * <p>
 * The server may be shared with other users, so tests never flush it: each isolates its
 * keys under a random node ID (all our keys start with the ID) and may remove them with
 * {@link #deleteKeysWithPrefix(String)}.
 */
public final class TestRedis {

	/**
	 * The environment variable naming an existing Redis, e.g.
	 * {@code redis://127.0.0.1:6379/14}.
	 */
	public static final String URL_VARIABLE = "DANDELION_TEST_REDIS_URL";

	/**
	 * The system property (or, upper-cased with underscores, environment variable
	 * {@code DANDELION_TEST_REDIS_KEY_LAYOUT}) choosing the Redis key layout the tests'
	 * services use: {@code original} (default) or {@code cluster}. The build runs the
	 * Redis tests once in each layout.
	 */
	public static final String KEY_LAYOUT_PROPERTY = "dandelion.test.redis-key-layout";

	/** The JUnit tag of every test class that talks to Redis, run again per layout. */
	public static final String TAG = "redis";

	/**
	 * The JUnit tag of a Redis test class run in the original layout only: a long suite
	 * whose Redis use the classes run in both layouts cover already, and whose point does
	 * not depend on how keys are named (hostile input, browsers, ranking).
	 */
	public static final String ONE_LAYOUT_TAG = "redis-one-layout";

	private static final Logger logger = LoggerFactory.getLogger(TestRedis.class);

	private static final String IMAGE = "redis:7";

	private static String url;

	private static RuntimeException failure;

	private static RedisClient client;

	private static StatefulRedisConnection<String, String> connection;

	private static LettuceConnectionFactory factory;

	private TestRedis() {
	}

	/**
	 * The URL of the shared Redis, starting it on first use.
	 * @return a {@code redis://} URL
	 * @throws IllegalStateException when no Redis can be had
	 */
	public static synchronized String url() {
		if (url == null && failure == null) {
			try {
				url = resolve(System.getenv());
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		if (failure != null) {
			throw new IllegalStateException(failure.getMessage(), failure);
		}
		return url;
	}

	/**
	 * The key layout this test run's services use.
	 * @return {@link RedisKeyLayout#ORIGINAL} unless {@value #KEY_LAYOUT_PROPERTY} says
	 * {@code cluster}
	 */
	public static RedisKeyLayout keyLayout() {
		String layout = System.getProperty(KEY_LAYOUT_PROPERTY, System.getenv("DANDELION_TEST_REDIS_KEY_LAYOUT"));
		if (layout == null || layout.isBlank()) {
			return RedisKeyLayout.ORIGINAL;
		}
		return RedisKeyLayout.valueOf(layout.strip().toUpperCase(Locale.ROOT));
	}

	/**
	 * The key names of a node in this test run's layout.
	 * @param nodeId the node's ID
	 * @return its keys
	 */
	public static RedisKeys keys(String nodeId) {
		return new RedisKeys(nodeId, keyLayout());
	}

	/**
	 * The settings that give every service of a test this run's key layout.
	 * @return {@code key=value} pairs for the entrance, box and publisher
	 */
	public static List<String> keyLayoutProperties() {
		String layout = keyLayout().name().toLowerCase(Locale.ROOT);
		return List.of("entrance.redis-key-layout=" + layout, "box.redis-key-layout=" + layout,
				"publisher.redis-key-layout=" + layout);
	}

	/**
	 * Synchronous Lettuce commands on the shared Redis, for assertions.
	 * @return the commands of one shared connection
	 */
	public static synchronized RedisCommands<String, String> commands() {
		if (connection == null) {
			client = RedisClient.create(url());
			connection = client.connect();
			Runtime.getRuntime().addShutdownHook(new Thread(client::shutdown, "test-redis-client-shutdown"));
		}
		return connection.sync();
	}

	/**
	 * A reactive template on the shared Redis, for tests that wire their subject by hand
	 * instead of starting a service.
	 * @return a template on one connection factory the JVM shares
	 */
	public static synchronized ReactiveStringRedisTemplate template() {
		if (factory == null) {
			factory = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(url()));
			factory.afterPropertiesSet();
			factory.start();
			Runtime.getRuntime().addShutdownHook(new Thread(factory::destroy, "test-redis-factory-shutdown"));
		}
		return new ReactiveStringRedisTemplate(factory);
	}

	/**
	 * Deletes every key starting with the prefix, found with {@code SCAN} (never
	 * {@code KEYS} or {@code FLUSHDB}: the server may be shared).
	 * @param prefix the literal key prefix, e.g. {@code {box-3f2a...}}
	 * @return the number of keys deleted
	 */
	public static long deleteKeysWithPrefix(String prefix) {
		return deleteKeysWithPrefix(commands(), prefix);
	}

	/**
	 * Deletes every key starting with the prefix, found with {@code SCAN}.
	 * @param commands where to delete
	 * @param prefix the literal key prefix
	 * @return the number of keys deleted
	 */
	public static long deleteKeysWithPrefix(RedisCommands<String, String> commands, String prefix) {
		if (prefix == null || prefix.isEmpty()) {
			throw new IllegalArgumentException("Refusing to delete every key of a shared Redis");
		}
		ScanArgs args = ScanArgs.Builder.matches(escapeGlob(prefix) + "*").limit(500);
		long deleted = 0;
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = commands.scan(cursor, args);
			if (!page.getKeys().isEmpty()) {
				deleted += commands.del(page.getKeys().toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		return deleted;
	}

	/**
	 * Picks and, when needed, starts a Redis.
	 * @param environment the environment variables
	 * @return the Redis URL
	 */
	static String resolve(Map<String, String> environment) {
		String configured = environment.get(URL_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			RedisURI.create(configured);
			logger.info("Tests use the Redis at {} ({})", configured, URL_VARIABLE);
			return configured;
		}
		List<String> reasons = new ArrayList<>();
		reasons.add(URL_VARIABLE + " is not set");
		if (isDockerAvailable()) {
			try {
				return startContainer();
			}
			catch (RuntimeException ex) {
				reasons.add("the " + IMAGE + " container did not start: " + ex);
			}
		}
		else {
			reasons.add("no Docker engine is reachable");
		}
		try {
			return startEmbedded().url();
		}
		catch (RuntimeException | IOException ex) {
			reasons.add("the embedded redis-server did not start: " + ex);
		}
		throw new IllegalStateException("No Redis for the tests: " + String.join("; ", reasons) + ". Set "
				+ URL_VARIABLE + "=redis://HOST:PORT/DB to use an existing server.");
	}

	/**
	 * Starts the embedded Redis binary on a free loopback port; it stops when the JVM
	 * exits.
	 * @return the running server
	 * @throws IOException when no free port is found
	 */
	static Embedded startEmbedded() throws IOException {
		RuntimeException last = null;
		// The port is free when chosen but may be taken before redis-server binds it:
		// retry a few times
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			RedisServer server = RedisServer.builder()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			try {
				server.start();
				Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "embedded-redis-shutdown"));
				Embedded embedded = new Embedded(server, "redis://127.0.0.1:" + port);
				logger.info("Tests use an embedded Redis at {}", embedded.url());
				return embedded;
			}
			catch (RuntimeException ex) {
				last = ex;
			}
		}
		throw last;
	}

	private static boolean isDockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	@SuppressWarnings("resource") // Stopped by Testcontainers' Ryuk when the JVM exits
	private static String startContainer() {
		GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379)
			.withStartupTimeout(Duration.ofMinutes(2));
		container.start();
		String containerUrl = "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
		logger.info("Tests use a {} container at {}", IMAGE, containerUrl);
		return containerUrl;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String escapeGlob(String prefix) {
		StringBuilder escaped = new StringBuilder();
		for (char c : prefix.toCharArray()) {
			if ("*?[]\\^".indexOf(c) >= 0) {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	/**
	 * An embedded Redis started by this JVM.
	 *
	 * @param server the running server
	 * @param url its URL
	 */
	record Embedded(RedisServer server, String url) {

		void stop() throws IOException {
			this.server.stop();
		}

	}

}
