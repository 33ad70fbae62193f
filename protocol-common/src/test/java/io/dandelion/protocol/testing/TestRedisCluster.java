package io.dandelion.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of three masters with one replica each, run from the
 * {@code redis-server} binary on free loopback ports and joined with
 * {@code redis-cli --cluster create}, as an operator would. All cluster tests of one JVM
 * share it ({@link #shared()}, started on first use, stopped and deleted when the JVM
 * exits), so it costs CI one start-up of a second or two; each test isolates its keys
 * under node IDs of its own. {@link #failover(String)} moves the slot of a key to the
 * replica of its master with {@code CLUSTER FAILOVER}, as an operator's planned switch
 * does. When the binaries are missing every call fails with a message saying so: no test
 * is skipped for lack of them.
 */
public final class TestRedisCluster {

	/** The JUnit tag of every test class that runs on the cluster. */
	public static final String TAG = "redis-cluster";

	private static final Logger logger = LoggerFactory.getLogger(TestRedisCluster.class);

	private static final int MASTERS = 3;

	private static final int NODES = MASTERS * 2;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(20);

	/** How long a replica waits for its master's part in a manual failover. */
	private static final Duration MANUAL_FAILOVER_TIMEOUT = Duration.ofSeconds(5);

	private static TestRedisCluster shared;

	private static RuntimeException failure;

	private final Path directory;

	private final List<Integer> ports;

	private final List<Process> processes = new ArrayList<>();

	/** Connects to single nodes, to set the cluster up and watch it. */
	private final RedisClient nodeClient = RedisClient.create();

	private RedisClusterClient clusterClient;

	private StatefulRedisClusterConnection<String, String> connection;

	private TestRedisCluster(Path directory, List<Integer> ports) {
		this.directory = directory;
		this.ports = List.copyOf(ports);
	}

	/**
	 * The cluster this JVM's tests share, starting it on first use.
	 * @return the running cluster
	 * @throws IllegalStateException when it cannot be started, saying why
	 */
	public static synchronized TestRedisCluster shared() {
		if (shared == null && failure == null) {
			try {
				shared = start();
				Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-redis-cluster-shutdown"));
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		if (failure != null) {
			throw new IllegalStateException("No Redis Cluster for the tests: " + failure.getMessage(), failure);
		}
		return shared;
	}

	private static TestRedisCluster start() {
		Path directory;
		try {
			directory = Files.createTempDirectory("dandelion-redis-cluster");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		TestRedisCluster cluster = new TestRedisCluster(directory, freePorts(NODES));
		Instant started = Instant.now();
		try {
			cluster.startNodes();
			cluster.create();
			cluster.awaitHealthy(START_TIMEOUT);
			cluster.clusterClient = RedisClusterClient.create(cluster.uris());
			cluster.connection = cluster.clusterClient.connect();
			logger.info("Tests use a Redis Cluster at {} (started in {} ms)", cluster.nodes(),
					Duration.between(started, Instant.now()).toMillis());
			return cluster;
		}
		catch (RuntimeException ex) {
			String logs = cluster.logTails();
			cluster.stop();
			throw new IllegalStateException(ex.getMessage() + logs, ex);
		}
	}

	/**
	 * The address of every node, masters and replicas, as {@code REDIS_CLUSTER_NODES}
	 * takes them.
	 * @return e.g. {@code 127.0.0.1:31001,127.0.0.1:31002,...}
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/**
	 * The setting that points a service at this cluster; the service then picks the
	 * cluster key layout by itself.
	 * @return {@code spring.data.redis.cluster.nodes=...}
	 */
	public String springProperty() {
		return "spring.data.redis.cluster.nodes=" + nodes();
	}

	/**
	 * Synchronous commands on the cluster, following its redirects, for a test's set-up
	 * and assertions.
	 * @return the commands of one shared cluster connection
	 */
	public RedisAdvancedClusterCommands<String, String> commands() {
		return this.connection.sync();
	}

	/**
	 * The port of the master that holds a key's slot now.
	 * @param key the key, e.g. {@code {box-3f2a…}:SELF_EXCHANGE}
	 * @return the master's port
	 */
	public int masterPortOf(String key) {
		return masterOf(SlotHash.getSlot(key), topology()).getUri().getPort();
	}

	/**
	 * Fails over the master holding a key's slot, as an operator's planned switch does:
	 * {@code CLUSTER FAILOVER} on its replica, which waits until it has every write of
	 * its master and then takes over its slots. Returns once the replica is master, the
	 * old master its replica, and every node sees the cluster as ok.
	 * @param key a key of the slot to move, e.g. a node's {@code {ID}:…} key
	 * @return the ports of the old and the new master
	 */
	public synchronized Failover failover(String key) {
		int slot = SlotHash.getSlot(key);
		Partitions topology = topology();
		RedisClusterNode master = masterOf(slot, topology);
		RedisClusterNode replica = topology.stream()
			.filter((node) -> master.getNodeId().equals(node.getSlaveOf()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("The master of slot " + slot + " has no replica"));
		int oldPort = master.getUri().getPort();
		int newPort = replica.getUri().getPort();
		Instant started = Instant.now();
		Instant giveUp = started.plus(FAILOVER_TIMEOUT);
		// A replica drops a manual failover its master did not answer within 5 s (as
		// when the master learnt of it only just now): ask again then
		Instant askAgain = Instant.MIN;
		while (!hasTakenOver(slot, newPort, oldPort)) {
			if (Instant.now().isAfter(giveUp)) {
				throw new IllegalStateException("Gave up waiting for port " + newPort + " to take slot " + slot
						+ " over from port " + oldPort + " after " + FAILOVER_TIMEOUT);
			}
			if (Instant.now().isAfter(askAgain)) {
				withNode(newPort, (commands) -> commands.clusterFailover(false));
				askAgain = Instant.now().plus(MANUAL_FAILOVER_TIMEOUT);
			}
			pause();
		}
		logger.info("Failed slot {} over from port {} to port {} in {} ms", slot, oldPort, newPort,
				Duration.between(started, Instant.now()).toMillis());
		return new Failover(slot, oldPort, newPort);
	}

	/**
	 * Whether every node sees the new master holding the slot, the old one is its
	 * replica, and the cluster is ok.
	 */
	private boolean hasTakenOver(int slot, int newPort, int oldPort) {
		for (int port : this.ports) {
			String seen = tryWithNode(port, RedisCommands::clusterNodes);
			if (seen == null || !ClusterPartitionParser.parse(seen)
				.stream()
				.anyMatch((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.hasSlot(slot)
						&& node.getUri().getPort() == newPort)) {
				return false;
			}
		}
		return "slave".equals(role(oldPort)) && isHealthy();
	}

	private void startNodes() {
		for (int port : this.ports) {
			Path node = this.directory.resolve(Integer.toString(port));
			try {
				Files.createDirectories(node);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			// A short node timeout: a failover is noticed quickly, and tests run on
			// loopback where a second of silence is no network hiccup. No delay before
			// a replica's first sync (Redis waits 5 s by default for more replicas)
			ProcessBuilder builder = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind",
					"127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "2000", "--repl-diskless-sync-delay", "0", "--dir", node.toString(),
					"--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no")
				.redirectErrorStream(true)
				.redirectOutput(node.resolve("redis.log").toFile());
			try {
				this.processes.add(builder.start());
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot run redis-server (install the redis-server package, which "
						+ "brings redis-server and redis-cli): " + ex.getMessage(), ex);
			}
		}
		for (int port : this.ports) {
			await("redis-server on port " + port + " to answer", START_TIMEOUT,
					() -> "PONG".equals(tryWithNode(port, RedisCommands::ping)));
		}
	}

	private void create() {
		List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		this.ports.forEach((port) -> command.add("127.0.0.1:" + port));
		command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		Path output = this.directory.resolve("cluster-create.log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("redis-cli --cluster create did not finish in " + START_TIMEOUT);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed (exit " + process.exitValue() + "): "
						+ Files.readString(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run redis-cli (install the redis-server package, which "
					+ "brings redis-server and redis-cli): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void awaitHealthy(Duration timeout) {
		await("the cluster to be ok on every node with every replica in sync", timeout, this::isHealthy);
	}

	/**
	 * Whether every node says the cluster is ok, knows all nodes, and each replica is
	 * linked to its master: a failover needs that link.
	 */
	private boolean isHealthy() {
		for (int port : this.ports) {
			String info = tryWithNode(port, RedisCommands::clusterInfo);
			String nodes = tryWithNode(port, RedisCommands::clusterNodes);
			if (info == null || nodes == null || !info.contains("cluster_state:ok")
					|| ClusterPartitionParser.parse(nodes).size() != NODES
					|| !everyMasterHasAReplica(ClusterPartitionParser.parse(nodes))) {
				return false;
			}
			String replication = tryWithNode(port, (commands) -> commands.info("replication"));
			if (replication == null
					|| replication.contains("role:slave") && !replication.contains("master_link_status:up")
					|| replication.contains("role:master") && !replication.contains("state=online")) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a node's view names a replica for every master holding slots: the replicas'
	 * roles reach the other nodes by gossip, after the cluster is ok.
	 */
	private static boolean everyMasterHasAReplica(Partitions view) {
		return view.stream()
			.filter((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
			.allMatch((master) -> view.stream().anyMatch((node) -> master.getNodeId().equals(node.getSlaveOf())));
	}

	private String role(int port) {
		List<Object> role = tryWithNode(port, RedisCommands::role);
		return (role != null && !role.isEmpty()) ? String.valueOf(role.get(0)) : null;
	}

	private Partitions topology() {
		for (int port : this.ports) {
			String nodes = tryWithNode(port, RedisCommands::clusterNodes);
			if (nodes != null) {
				return ClusterPartitionParser.parse(nodes);
			}
		}
		throw new IllegalStateException("No node of the cluster answers");
	}

	private static RedisClusterNode masterOf(int slot, Partitions topology) {
		return topology.stream()
			.filter((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.hasSlot(slot))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No master holds slot " + slot));
	}

	private List<RedisURI> uris() {
		return this.ports.stream().map((port) -> RedisURI.create("127.0.0.1", port)).toList();
	}

	/** The action's answer on a connection of its own to one node. */
	private <T> T withNode(int port, Function<RedisCommands<String, String>, T> action) {
		RedisURI uri = RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(port)
			.withTimeout(Duration.ofSeconds(2))
			.build();
		try (StatefulRedisConnection<String, String> node = this.nodeClient.connect(uri)) {
			return action.apply(node.sync());
		}
	}

	/** The answer, or {@code null} when the node cannot be reached or refuses. */
	private <T> T tryWithNode(int port, Function<RedisCommands<String, String>, T> action) {
		try {
			return withNode(port, action);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static void await(String what, Duration timeout, BooleanSupplier condition) {
		Instant giveUp = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(giveUp)) {
				throw new IllegalStateException("Gave up waiting for " + what + " after " + timeout);
			}
			pause();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String logTails() {
		StringBuilder tails = new StringBuilder();
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path log : files.filter((file) -> file.getFileName().toString().endsWith(".log")).toList()) {
				List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
				tails.append("\n--- ")
					.append(this.directory.relativize(log))
					.append(":\n")
					.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
			}
		}
		catch (IOException | UncheckedIOException ex) {
			tails.append("\n(logs unreadable: ").append(ex.getMessage()).append(')');
		}
		return tails.toString();
	}

	private synchronized void stop() {
		if (this.connection != null) {
			this.connection.close();
			this.clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
		this.nodeClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		this.processes.forEach(Process::destroy);
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(5, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Could not delete {}: {}", this.directory, ex.toString());
		}
	}

	/**
	 * Free loopback ports for the nodes, each with its cluster bus port (port + 10000)
	 * free too.
	 */
	private static List<Integer> freePorts(int count) {
		List<Integer> ports = new ArrayList<>();
		for (int attempt = 0; attempt < 1000 && ports.size() < count; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (!ports.contains(port) && isFree(port) && isFree(port + 10000)) {
				ports.add(port);
			}
		}
		if (ports.size() < count) {
			throw new IllegalStateException("Found no " + count + " free loopback ports for the Redis Cluster");
		}
		return ports;
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A finished failover.
	 *
	 * @param slot the slot moved
	 * @param oldMasterPort the port of the master before, now a replica
	 * @param newMasterPort the port of the master now
	 */
	public record Failover(int slot, int oldMasterPort, int newMasterPort) {

	}

}
