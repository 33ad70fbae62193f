package io.dandelion.network.inprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import io.dandelion.agent.BoxAgentApplication;
import io.dandelion.entrance.EntranceServiceApplication;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.dandelion.protocol.testing.TestGeoIp;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.TestRedisCluster;
import io.dandelion.publisher.PublisherServiceApplication;
import io.netty.handler.ssl.SslContext;
import org.awaitility.core.ConditionTimeoutException;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelBindException;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.awaitility.Awaitility.await;

/**
 * A whole Dandelion network in the test's JVM, on loopback addresses: a real entrance,
 * real boxes bound to 127.0.x.y "cities" (the test GeoIP database places 127.0.2.0/24 in
 * Tokyo, 127.0.3.0/24 in Frankfurt, 127.0.4.0/24 in New York) with their builtin file
 * servers, and a real publisher, all on the shared test Redis (or the shared test Redis
 * Cluster) and isolated by their random IDs. Each box registers itself with its own
 * heartbeats (which carry its {@code DATA_PORT}). Close it to stop everything.
 * <p>
 * How its nodes prove themselves is set here, in one place: {@link #TRUST} for every
 * network a test starts with {@link #start()}, and the tokens below. A network started
 * with {@link #startWithTlsBoxes()} has boxes serving TLS (their WebSocket and data
 * ports) with one self-signed certificate, which its publishers trust.
 */
public final class TestNetwork implements AutoCloseable {

	/**
	 * How the nodes of a network prove themselves ({@code SECURITY_MODE} and what goes
	 * with it).
	 */
	public enum Trust {

		/**
		 * Every node in compatible mode and without a credential: the original's
		 * unauthenticated messages and unsigned URLs are accepted.
		 */
		COMPATIBLE,

		/**
		 * Every node in strict mode: the entrance issues each box and publisher a
		 * credential (through its admin API), boxes trust the entrance's ticket key.
		 */
		STRICT

	}

	/** The trust of the networks {@link #start()} starts. */
	public static final Trust TRUST = Trust.STRICT;

	/**
	 * The addresses a network of TLS boxes may start boxes on: the certificate names
	 * them.
	 */
	public static final List<String> TLS_BOX_ADDRESSES = List.of("127.0.2.10", "127.0.2.11", "127.0.3.10", "127.0.3.11",
			"127.0.4.10", "127.0.4.11");

	/** {@code PUBLISHER_API_TOKEN} of every publisher; {@link #client} sends it. */
	public static final String PUBLISHER_API_TOKEN = "test-publisher-api-token";

	/** {@code ENTRANCE_ADMIN_TOKEN} of the entrance, which issues credentials with it. */
	public static final String ENTRANCE_ADMIN_TOKEN = "test-entrance-admin-token";

	/**
	 * How long a call to a starting node may take: generous, since a CI machine running
	 * many JVMs can take seconds for what takes milliseconds alone.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final Trust trust;

	/** The settings that point every node at its Redis. */
	private final List<String> redisSettings;

	/**
	 * The credential of each publisher home, so that a restarted publisher keeps its ID.
	 */
	private final Map<Path, String> publisherCredentials = new HashMap<>();

	private final Path directory;

	private final Path geoipDatabase;

	private final ConfigurableApplicationContext entrance;

	private final int entrancePort;

	private final List<Box> boxes = new ArrayList<>();

	private final List<ConfigurableApplicationContext> publishers = new ArrayList<>();

	private final MessageCodec codec = new MessageCodec();

	/** What every box serves TLS with, when the boxes serve TLS; else {@code null}. */
	private final SelfSignedCertificate boxCertificate;

	private TestNetwork(Path directory, Trust trust, boolean tlsBoxes, boolean redisCluster,
			String... entranceProperties) {
		this.directory = directory;
		this.trust = trust;
		if (redisCluster) {
			// The nodes choose the cluster key layout by themselves
			this.redisSettings = List.of(TestRedisCluster.shared().springProperty());
		}
		else {
			List<String> redis = new ArrayList<>(List.of("spring.data.redis.url=" + TestRedis.url()));
			redis.addAll(TestRedis.keyLayoutProperties());
			this.redisSettings = List.copyOf(redis);
		}
		this.boxCertificate = tlsBoxes ? SelfSignedCertificate.forAddresses(mkdirs(directory.resolve("tls")),
				TLS_BOX_ADDRESSES.toArray(String[]::new)) : null;
		this.geoipDatabase = TestGeoIp.database();
		List<String> settings = new ArrayList<>(List.of(
				"entrance.base-directory=" + mkdirs(directory.resolve("entrance")),
				"entrance.geoip-database=" + this.geoipDatabase, "entrance.ip=127.0.0.1",
				"entrance.federation.check-period=1h", "entrance.security.admin-token=" + ENTRANCE_ADMIN_TOKEN));
		if (this.boxCertificate != null) {
			// The entrance probes the boxes' data ports as viewers fetch from them
			settings.add("dandelion.tls.trusted-certificates=" + this.boxCertificate.pem());
		}
		settings.addAll(List.of(entranceProperties));
		this.entrance = run(EntranceServiceApplication.class, common("entrance-service", "127.0.0.1"),
				settings.toArray(String[]::new));
		this.entrancePort = port(this.entrance);
	}

	/**
	 * Starts an entrance with the trust of {@link #TRUST}; add boxes and a publisher
	 * next.
	 * @return the network
	 */
	public static TestNetwork start() {
		return start(TRUST);
	}

	/**
	 * Starts an entrance; add boxes and a publisher next.
	 * @param trust how its nodes prove themselves: {@link Trust#COMPATIBLE} for tests of
	 * the original's unauthenticated nodes
	 * @return the network
	 */
	public static TestNetwork start(Trust trust) {
		return start(trust, false);
	}

	/**
	 * Starts an entrance with the trust of {@link #TRUST}, for boxes serving TLS with one
	 * self-signed certificate ({@link #boxCertificate()}) on both their ports, at the
	 * addresses of {@link #TLS_BOX_ADDRESSES}; its publishers trust that certificate
	 * ({@code TLS_TRUSTED_CERTIFICATES}). The entrance and the publishers serve plain
	 * HTTP.
	 * @return the network
	 */
	public static TestNetwork startWithTlsBoxes() {
		return start(TRUST, true);
	}

	static TestNetwork start(Trust trust, boolean tlsBoxes, String... entranceProperties) {
		return start(trust, tlsBoxes, false, entranceProperties);
	}

	static TestNetwork start(Trust trust, boolean tlsBoxes, boolean redisCluster, String... entranceProperties) {
		try {
			return new TestNetwork(Files.createTempDirectory("dandelion-network"), trust, tlsBoxes, redisCluster,
					entranceProperties);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String[] common(String name, String address) {
		List<String> common = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"server.address=" + address, "spring.main.banner-mode=off",
				"management.endpoints.web.exposure.include=health", "server.shutdown=immediate",
				"dandelion.security.mode=" + this.trust.name().toLowerCase(Locale.ROOT)));
		common.addAll(this.redisSettings);
		return common.toArray(String[]::new);
	}

	/**
	 * The settings that make a box or publisher prove itself in a strict network: a
	 * credential the entrance issued, and for a box the entrance's ticket key.
	 */
	private List<String> trustSettings(Role role, String credential) {
		if (this.trust != Trust.STRICT) {
			return List.of();
		}
		List<String> settings = new ArrayList<>(List.of("dandelion.security.credential=" + credential));
		if (role == Role.BOX) {
			settings.add("box.security.entrance-public-keys[0]=" + entranceAdmin().get()
				.uri("/dandelion/api/v1/keys")
				.retrieve()
				.bodyToMono(Map.class)
				.map((key) -> (String) key.get("PUBLIC_KEY"))
				.block(TIMEOUT));
		}
		return settings;
	}

	/**
	 * A credential the entrance issues through its admin API, for a new node.
	 * @param role the node's role
	 * @return {@code ID:SECRET}
	 */
	public String issueCredential(Role role) {
		return entranceAdmin().put()
			.uri("/dandelion/api/v1/credentials/{id}", NodeId.random(role).value())
			.retrieve()
			.bodyToMono(Map.class)
			.map((issued) -> (String) issued.get("CREDENTIAL"))
			.block(TIMEOUT);
	}

	private WebClient entranceAdmin() {
		return WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.entrancePort)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ENTRANCE_ADMIN_TOKEN)
			.build();
	}

	/**
	 * Starts a box bound to the given loopback address and registers it at the entrance.
	 * @param ip e.g. {@code 127.0.2.10} (Tokyo)
	 * @return the box
	 */
	public Box startBox(String ip) {
		Path base = mkdirs(this.directory.resolve("box-" + ip + "-" + this.boxes.size()));
		for (int attempt = 1;; attempt++) {
			int dataPort = freePort(ip);
			try {
				return startBox(ip, base, dataPort);
			}
			catch (RuntimeException ex) {
				// The data port is free when chosen, but the box's own server, binding
				// port 0
				// on the same address as it starts, may be given it first
				if (attempt == 3 || !causedByBind(ex)) {
					throw ex;
				}
			}
		}
	}

	private static boolean causedByBind(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ChannelBindException || cause instanceof BindException) {
				return true;
			}
		}
		return false;
	}

	private Box startBox(String ip, Path base, int dataPort) {
		List<String> settings = new ArrayList<>(
				List.of("box.server-ip=" + ip, "box.base-directory=" + base, "box.serving.data-port=" + dataPort,
						"box.serving.file-server=builtin", "box.entrance-urls[0]=" + entranceUrl(),
						// A heartbeat that failed is tried again within 2 s, not after up
						// to 30 s, so that a slow start does not keep a box out for long
						"box.heartbeat.backoff-max=2s"));
		if (this.trust == Trust.STRICT) {
			settings.addAll(trustSettings(Role.BOX, issueCredential(Role.BOX)));
		}
		if (this.boxCertificate != null) {
			if (!TLS_BOX_ADDRESSES.contains(ip)) {
				throw new IllegalArgumentException("The boxes' certificate names " + TLS_BOX_ADDRESSES + ", not " + ip);
			}
			settings.add("server.ssl.certificate=" + this.boxCertificate.pem());
			settings.add("server.ssl.certificate-private-key=" + this.boxCertificate.privateKeyPem());
		}
		ConfigurableApplicationContext context = run(BoxAgentApplication.class, common("box-agent", ip),
				settings.toArray(String[]::new));
		Box box = new Box(context.getBean(NodeId.class).value(), ip, port(context), dataPort, base, context);
		this.boxes.add(box);
		awaitRegistered(box);
		return box;
	}

	/**
	 * Waits until the box's own heartbeat has registered it at the entrance.
	 * @param box the box
	 */
	public void awaitRegistered(Box box) {
		// A connection of its own for each look and a short bound on each: one request
		// stuck on a pooled connection must not use up the whole wait
		WebClient entrance = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.entrancePort)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.build();
		AtomicReference<String> lastLook = new AtomicReference<>("none yet");
		try {
			await("box " + box.id() + " at " + box.ip() + " registered at the entrance").atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> entrance.get().uri("/dandelion/api/v1/boxes/{id}", box.id()).exchangeToMono((response) -> {
					lastLook.set("HTTP " + response.statusCode());
					return Mono.just(response.statusCode().is2xxSuccessful());
				})
					.timeout(Duration.ofSeconds(2))
					.doOnError((ex) -> lastLook.set(ex.toString()))
					.onErrorReturn(false)
					.block(TIMEOUT));
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"Box " + box.id() + " at " + box.ip() + " was not registered at the entrance within " + TIMEOUT
							+ "; the last look at GET /dandelion/api/v1/boxes/{id} got " + lastLook.get(),
					ex);
		}
	}

	/**
	 * Starts a publisher that publishes the live HLS streams of a directory, looking for
	 * new segments every 200 ms.
	 * @param home the publisher's base directory
	 * @param watchDir the directory holding one directory per stream
	 * @param properties more settings, {@code key=value}
	 * @return the publisher's context
	 */
	public ConfigurableApplicationContext startLivePublisher(Path home, Path watchDir, String... properties) {
		List<String> settings = new ArrayList<>(
				List.of("publisher.live.watch-dirs[0]=" + watchDir, "publisher.live.rescan-period=200ms"));
		settings.addAll(List.of(properties));
		return startPublisher(home, settings.toArray(String[]::new));
	}

	/**
	 * Starts a publisher searching this network's entrance, with its ID and files in the
	 * given directory (start it again on the same directory to restart it).
	 * @param home the publisher's base directory
	 * @param properties more settings, {@code key=value}; a
	 * {@code dandelion.security.credential} given here replaces the one the network would
	 * issue
	 * @return the publisher's context
	 */
	public ConfigurableApplicationContext startPublisher(Path home, String... properties) {
		List<String> settings = new ArrayList<>(List.of(properties));
		settings
			.addAll(List.of("publisher.base-directory=" + mkdirs(home), "publisher.entrance-urls[0]=" + entranceUrl(),
					"publisher.ip=127.0.0.1", "publisher.ping-entrance-freq=500ms",
					"publisher.geoip-database=" + this.geoipDatabase, "publisher.trusted-proxies[0]=127.0.0.1",
					"publisher.allowed-roots[0]=" + mkdirs(this.directory.resolve("local")),
					"publisher.security.api-token=" + PUBLISHER_API_TOKEN));
		if (this.boxCertificate != null) {
			settings.add("dandelion.tls.trusted-certificates=" + this.boxCertificate.pem());
		}
		if (this.trust == Trust.STRICT
				&& settings.stream().noneMatch((setting) -> setting.startsWith("dandelion.security.credential="))) {
			String credential = this.publisherCredentials.computeIfAbsent(home,
					(key) -> issueCredential(Role.PUBLISHER));
			settings.addAll(trustSettings(Role.PUBLISHER, credential));
		}
		ConfigurableApplicationContext context = run(PublisherServiceApplication.class,
				common("publisher-service", "127.0.0.1"), settings.toArray(String[]::new));
		this.publishers.add(context);
		return context;
	}

	/**
	 * A client for a publisher's HTTP API, sending its API token.
	 * @param publisher the publisher's context
	 * @return the client
	 */
	public static WebTestClient client(ConfigurableApplicationContext publisher) {
		return TestClients.local(port(publisher))
			.mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + PUBLISHER_API_TOKEN)
			.build();
	}

	/**
	 * What a publisher's API says of a file.
	 * @param client the publisher's client
	 * @param name the file's public name
	 * @return its state, as JSON fields
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> describe(WebTestClient client, String name) {
		return client.get()
			.uri("/api/v1/files" + name)
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * What a publisher's API says of one box of its pool.
	 * @param client the publisher's client
	 * @param boxId the box
	 * @return its status, as JSON fields; empty when the pool does not know it
	 */
	public static Map<String, Object> box(WebTestClient client, String boxId) {
		return boxes(client).stream().filter((box) -> boxId.equals(box.get("id"))).findFirst().orElse(Map.of());
	}

	/**
	 * What a publisher's API says of the boxes of its pool.
	 * @param client the publisher's client
	 * @return the boxes' statuses, as JSON fields, best first
	 */
	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> boxes(WebTestClient client) {
		return client.get().uri("/api/v1/boxes").exchange().expectBody(List.class).returnResult().getResponseBody();
	}

	/**
	 * Where a publisher's {@code /r/} sends a viewer for a file.
	 * @param client the publisher's client
	 * @param name the file's public name
	 * @param viewer the viewer's address, sent as {@code X-Forwarded-For} (the test
	 * publishers trust 127.0.0.1 as a proxy); {@code null} for the client itself
	 * @return the {@code Location} of the 302
	 */
	public static String redirect(WebTestClient client, String name, String viewer) {
		WebTestClient.RequestHeadersSpec<?> request = client.get().uri("/r" + name);
		if (viewer != null) {
			request = request.header("X-Forwarded-For", viewer);
		}
		return request.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation()
			.toString();
	}

	/**
	 * Fetches a URL as a viewer would, any size.
	 * @param url the URL, e.g. a box's replica of a file, already encoded (it is sent as
	 * it is, not encoded again)
	 * @return the body of its 200 answer
	 */
	public static byte[] fetch(String url) {
		return TestClients.to(url)
			.get()
			.uri(URI.create(url))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * The certificate the boxes of a network started with {@link #startWithTlsBoxes()}
	 * serve.
	 * @return the certificate
	 */
	public SelfSignedCertificate boxCertificate() {
		if (this.boxCertificate == null) {
			throw new IllegalStateException("The boxes of this network serve no TLS");
		}
		return this.boxCertificate;
	}

	/**
	 * Fetches a URL as a viewer who trusts the boxes' certificate would, any size: for
	 * {@code https} URLs of a network of TLS boxes.
	 * @param url the URL
	 * @return the body of its 200 answer
	 */
	public byte[] fetchTrustingTheBoxes(String url) {
		SslContext trusting;
		try {
			trusting = SslContextBuilder.forClient().trustManager(boxCertificate().pem().toFile()).build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Cannot trust " + boxCertificate().pem(), ex);
		}
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
			.secure((spec) -> spec.sslContext(trusting));
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(http))
			.baseUrl(url)
			.responseTimeout(TestClients.TIMEOUT)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(-1))
			.build()
			.get()
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Corrupts a stored file as a dishonest box's owner would, behind the box's back: the
	 * same size, every byte flipped, written beside it and renamed over it (so the box
	 * never serves half of it).
	 * @param file the file
	 * @throws IOException when it cannot be rewritten
	 */
	public static void tamper(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) ~bytes[i];
		}
		Path temporary = file.resolveSibling(".tampered-" + file.getFileName());
		Files.write(temporary, bytes);
		Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Whether a box URL carries a viewer URL signature ({@code md5} and {@code expires}).
	 * @param url the URL
	 * @return {@code true} when both parameters are in its query
	 */
	public static boolean isSigned(String url) {
		String query = URI.create(url).getRawQuery();
		return query != null && query.matches("md5=[A-Za-z0-9_-]{22}&expires=\\d+");
	}

	/**
	 * A directory the publisher may queue local files from.
	 * @return the directory
	 */
	public Path localFiles() {
		return this.directory.resolve("local");
	}

	/**
	 * The entrance's WebSocket URL.
	 * @return the URL
	 */
	public String entranceUrl() {
		return "ws://127.0.0.1:" + this.entrancePort + "/dandelion/ws/";
	}

	/**
	 * The names of the entrance's Redis keys.
	 * @return its keys, in the layout the tests run in
	 */
	public RedisKeys entranceKeys() {
		return this.entrance.getBean(RedisKeys.class);
	}

	/**
	 * Stops the entrance, as if it crashed: boxes and publishers keep running, and every
	 * heartbeat and SEARCH fails from now on.
	 */
	public void stopEntrance() {
		this.entrance.close();
	}

	/**
	 * The boxes started so far.
	 * @return the boxes
	 */
	public List<Box> boxes() {
		return List.copyOf(this.boxes);
	}

	/**
	 * Runs an application with the settings as command-line arguments: they must win over
	 * the {@code application.yml} on the shared classpath (the publisher's own). A
	 * setting replaces the common one of the same name (e.g. a Redis of the test's own):
	 * given twice, a command-line property would read as both values joined.
	 */
	private static ConfigurableApplicationContext run(Class<?> application, String[] common, String... settings) {
		List<String> args = new ArrayList<>();
		for (String setting : common) {
			String name = setting.substring(0, setting.indexOf('=') + 1);
			if (Arrays.stream(settings).noneMatch((replacing) -> replacing.startsWith(name))) {
				args.add("--" + setting);
			}
		}
		for (String setting : settings) {
			args.add("--" + setting);
		}
		ConfigurableApplicationContext context = new SpringApplication(application).run(args.toArray(String[]::new));
		// Every node must run on Reactor Netty event loops of its own (service-support
		// gives them): the JVM-wide ones are disposed when any node stops, which would
		// take every other node of the network down with it
		if (context.getBean(ReactorResourceFactory.class).isUseGlobalResources()) {
			context.close();
			throw new IllegalStateException(application.getSimpleName() + " runs on Reactor Netty's global resources");
		}
		return context;
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static int freePort(String ip) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(ip, 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path mkdirs(Path path) {
		try {
			return Files.createDirectories(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.publishers.forEach(ConfigurableApplicationContext::close);
		this.boxes.forEach(Box::stop);
		this.entrance.close();
	}

	/**
	 * One running box.
	 *
	 * @param id its ID
	 * @param ip its loopback address
	 * @param port its WebSocket port
	 * @param dataPort its file server's port
	 * @param store its store root
	 * @param context its application
	 */
	public record Box(String id, String ip, int port, int dataPort, Path store,
			ConfigurableApplicationContext context) {

		/**
		 * Where the box stores a file of a publisher: {@code BASE_DIRECTORY}, the
		 * publisher's ID, the {@code FILE_PATH}.
		 * @param publisherId the publisher
		 * @param filePath the file's public name
		 * @return the file on the box's disk
		 */
		public Path stored(String publisherId, String filePath) {
			return this.store.resolve(publisherId).resolve(filePath.replaceFirst("^/", ""));
		}

		/**
		 * Stops the box, as if it were unplugged.
		 */
		public void stop() {
			if (this.context.isActive()) {
				this.context.close();
			}
		}

	}

}
