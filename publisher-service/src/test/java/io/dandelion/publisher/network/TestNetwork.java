package io.dandelion.publisher.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dandelion.agent.BoxAgentApplication;
import io.dandelion.entrance.EntranceServiceApplication;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.publisher.PublisherServiceApplication;
import reactor.util.retry.Retry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A whole Dandelion network in the test's JVM, on loopback addresses: a real entrance,
 * real boxes bound to 127.0.x.y "cities" (the test GeoIP database places 127.0.2.0/24 in
 * Tokyo, 127.0.3.0/24 in Frankfurt, 127.0.4.0/24 in New York) with their builtin file
 * servers, and a real publisher, all on the shared test Redis and isolated by their
 * random IDs. Each box registers itself with its own heartbeats (which carry its
 * {@code DATA_PORT}). Close it to stop everything.
 */
public final class TestNetwork implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Path directory;

	private final Path geoipDatabase;

	private final ConfigurableApplicationContext entrance;

	private final int entrancePort;

	private final List<Box> boxes = new ArrayList<>();

	private final List<ConfigurableApplicationContext> publishers = new ArrayList<>();

	private final MessageCodec codec = new MessageCodec();

	private TestNetwork(Path directory) {
		this.directory = directory;
		this.geoipDatabase = copyGeoipDatabase(directory);
		this.entrance = run(EntranceServiceApplication.class, common("entrance-service", "127.0.0.1"),
				"entrance.base-directory=" + mkdirs(directory.resolve("entrance")),
				"entrance.geoip-database=" + this.geoipDatabase, "entrance.ip=127.0.0.1",
				"entrance.federation.check-period=1h");
		this.entrancePort = port(this.entrance);
	}

	/**
	 * Starts an entrance; add boxes and a publisher next.
	 * @return the network
	 */
	public static TestNetwork start() {
		try {
			return new TestNetwork(Files.createTempDirectory("dandelion-network"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String[] common(String name, String address) {
		List<String> common = new ArrayList<>(List.of("spring.application.name=" + name, "server.port=0",
				"server.address=" + address, "spring.data.redis.url=" + TestRedis.url(), "spring.main.banner-mode=off",
				"management.endpoints.web.exposure.include=health", "server.shutdown=immediate"));
		common.addAll(TestRedis.keyLayoutProperties());
		return common.toArray(String[]::new);
	}

	/**
	 * Starts a box bound to the given loopback address and registers it at the entrance.
	 * @param ip e.g. {@code 127.0.2.10} (Tokyo)
	 * @return the box
	 */
	public Box startBox(String ip) {
		int dataPort = freePort(ip);
		Path base = mkdirs(this.directory.resolve("box-" + ip + "-" + this.boxes.size()));
		ConfigurableApplicationContext context = run(BoxAgentApplication.class, common("box-agent", ip),
				"box.server-ip=" + ip, "box.base-directory=" + base, "box.serving.data-port=" + dataPort,
				"box.serving.file-server=builtin", "box.entrance-urls[0]=" + entranceUrl());
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
		WebClient.create("http://127.0.0.1:" + this.entrancePort)
			.get()
			.uri("/dandelion/api/v1/boxes/{id}", box.id())
			.retrieve()
			.toBodilessEntity()
			.retryWhen(Retry.fixedDelay(100, Duration.ofMillis(100)))
			.block(TIMEOUT);
	}

	/**
	 * Starts a publisher searching this network's entrance, with its ID and files in the
	 * given directory (start it again on the same directory to restart it).
	 * @param home the publisher's base directory
	 * @param properties more settings, {@code key=value}
	 * @return the publisher's context
	 */
	public ConfigurableApplicationContext startPublisher(Path home, String... properties) {
		List<String> settings = new ArrayList<>(List.of(properties));
		settings
			.addAll(List.of("publisher.base-directory=" + mkdirs(home), "publisher.entrance-urls[0]=" + entranceUrl(),
					"publisher.ip=127.0.0.1", "publisher.ping-entrance-freq=500ms",
					"publisher.geoip-database=" + this.geoipDatabase, "publisher.trusted-proxies[0]=127.0.0.1",
					"publisher.allowed-roots[0]=" + mkdirs(this.directory.resolve("local"))));
		ConfigurableApplicationContext context = run(PublisherServiceApplication.class,
				common("publisher-service", "127.0.0.1"), settings.toArray(String[]::new));
		this.publishers.add(context);
		return context;
	}

	/**
	 * A client for a publisher's HTTP API.
	 * @param publisher the publisher's context
	 * @return the client
	 */
	public static WebTestClient client(ConfigurableApplicationContext publisher) {
		return TestClients.local(port(publisher));
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
	@SuppressWarnings("unchecked")
	public static Map<String, Object> box(WebTestClient client, String boxId) {
		List<Map<String, Object>> boxes = client.get()
			.uri("/api/v1/boxes")
			.exchange()
			.expectBody(List.class)
			.returnResult()
			.getResponseBody();
		return boxes.stream().filter((box) -> boxId.equals(box.get("id"))).findFirst().orElse(Map.of());
	}

	/**
	 * Fetches a URL as a viewer would, any size.
	 * @param url the URL, e.g. a box's replica of a file
	 * @return the body of its 200 answer
	 */
	public static byte[] fetch(String url) {
		return TestClients.to(url)
			.get()
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
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
	 * The boxes started so far.
	 * @return the boxes
	 */
	public List<Box> boxes() {
		return List.copyOf(this.boxes);
	}

	/**
	 * Runs an application with the settings as command-line arguments: they must win over
	 * the {@code application.yml} on the shared classpath (the publisher's own).
	 */
	private static ConfigurableApplicationContext run(Class<?> application, String[] common, String... settings) {
		List<String> args = new ArrayList<>();
		for (String setting : common) {
			args.add("--" + setting);
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

	private static Path copyGeoipDatabase(Path directory) {
		try (InputStream in = TestNetwork.class.getClassLoader().getResourceAsStream("geoip/test-city.mmdb")) {
			if (in == null) {
				throw new IllegalStateException("geoip/test-city.mmdb is not on the test classpath");
			}
			Path copy = directory.resolve("test-city.mmdb");
			Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			return copy;
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
		 * Stops the box, as if it were unplugged.
		 */
		public void stop() {
			if (this.context.isActive()) {
				this.context.close();
			}
		}

	}

}
