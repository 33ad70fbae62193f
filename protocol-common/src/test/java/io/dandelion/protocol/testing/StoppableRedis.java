package io.dandelion.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

/**
 * A Redis server of one test's own, on a free loopback port, that the test may stop,
 * start again on the same port, or pause, to see what a service does while its Redis is
 * unavailable. Never the {@link TestRedis shared one}, which other tests and users rely
 * on. It runs the embedded Redis 7 binary of {@code org.signal:embedded-redis} and keeps
 * its data across a stop (saved on shutdown into a directory of its own), as a Redis
 * restarted by an operator would. Close it to stop it for good.
 */
public final class StoppableRedis implements AutoCloseable {

	private final int port;

	private final Path directory;

	private RedisServer server;

	private StoppableRedis(int port, Path directory) {
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Starts a Redis on a free loopback port.
	 * @return the running server
	 */
	public static StoppableRedis start() {
		try {
			StoppableRedis redis = new StoppableRedis(freePort(), Files.createTempDirectory("stoppable-redis"));
			redis.startAgain();
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The server's URL.
	 * @return {@code redis://127.0.0.1:PORT}
	 */
	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/**
	 * Stops the server as an operator would ({@code SIGTERM}): its clients' connections
	 * close and new ones are refused.
	 */
	public synchronized void stop() {
		if (this.server != null) {
			this.server.stop();
			this.server = null;
		}
	}

	/**
	 * Starts the server again on the same port, with the data it had when stopped.
	 */
	public synchronized void startAgain() {
		if (this.server != null) {
			return;
		}
		RedisServer server = RedisServer.builder()
			.port(this.port)
			.bind("127.0.0.1")
			.setting("dir " + this.directory.toAbsolutePath())
			.setting("save 3600 1")
			.setting("appendonly no")
			.build();
		server.start();
		this.server = server;
	}

	/**
	 * Makes the server hang without closing a connection: it reads commands and answers
	 * none ({@code CLIENT PAUSE ... ALL}) for the given time, as a Redis stuck in a long
	 * script or on a stalled disk would.
	 * @param duration how long it hangs
	 */
	public void pause(Duration duration) {
		RedisClient client = RedisClient.create(url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().clientPause(duration.toMillis());
		}
		finally {
			client.shutdown();
		}
	}

	/** Stops the server for good and deletes its data. */
	@Override
	public void close() {
		stop();
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
