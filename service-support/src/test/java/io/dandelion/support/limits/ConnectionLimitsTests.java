package io.dandelion.support.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a real Reactor Netty server, from real sockets on two loopback addresses.
 */
class ConnectionLimitsTests {

	private static final int LIMIT = 5;

	@Test
	void shouldCloseConnectionsOverTheLimitOfOneAddressAndServeOtherAddresses() throws Exception {
		try (ConfigurableApplicationContext service = start("--dandelion.limits.max-connections-per-ip=" + LIMIT,
				"--dandelion.limits.idle-timeout=0")) {
			int port = port(service);
			List<Socket> held = new ArrayList<>();
			try {
				for (int i = 0; i < LIMIT; i++) {
					held.add(connect("127.0.0.1", port));
				}
				ConnectionLimits limits = service.getBean(ConnectionLimits.class);
				InetAddress flooder = InetAddress.getByName("127.0.0.1");
				await().atMost(Duration.ofSeconds(10)).until(() -> limits.openConnections(flooder) == LIMIT);
				// Bounded: 20 more tries from the same address, each closed at once
				for (int i = 0; i < 20; i++) {
					try (Socket refused = connect("127.0.0.1", port)) {
						assertThat(isClosedByServer(refused)).as("connection %d over the limit", i).isTrue();
					}
				}
				// The held ones still work, and another address is served
				assertThat(get(held.get(0))).startsWith("HTTP/1.1 404");
				try (Socket other = connect("127.0.0.2", port)) {
					assertThat(get(other)).startsWith("HTTP/1.1 404");
				}
				held.forEach(ConnectionLimitsTests::closeQuietly);
				await().atMost(Duration.ofSeconds(10)).until(() -> limits.openConnections(flooder) == 0);
				try (Socket again = connect("127.0.0.1", port)) {
					assertThat(get(again)).startsWith("HTTP/1.1 404");
				}
			}
			finally {
				held.forEach(ConnectionLimitsTests::closeQuietly);
			}
		}
	}

	@Test
	void shouldCloseASilentConnectionAfterTheIdleTimeoutButNotABusyOne() throws Exception {
		try (ConfigurableApplicationContext service = start("--dandelion.limits.idle-timeout=1s")) {
			int port = port(service);
			try (Socket silent = connect("127.0.0.1", port); Socket busy = connect("127.0.0.1", port)) {
				long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
				while (System.nanoTime() < deadline) {
					assertThat(get(busy)).startsWith("HTTP/1.1 404");
					Thread.sleep(300);
				}
				silent.setSoTimeout(10_000);
				assertThat(silent.getInputStream().read()).as("the silent connection was closed").isEqualTo(-1);
			}
		}
	}

	private static boolean isClosedByServer(Socket socket) throws IOException {
		socket.setSoTimeout(5_000);
		try {
			return socket.getInputStream().read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// Reset by the server
			return true;
		}
	}

	private static String get(Socket socket) throws IOException {
		socket.setSoTimeout(5_000);
		OutputStream out = socket.getOutputStream();
		out.write("GET /nothing HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[512];
		int read = in.read(buffer);
		String head = new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
		// Drain the small 404 body so the next request on this connection starts clean
		while (in.available() > 0 && in.read(buffer) > 0) {
		}
		return head;
	}

	private static Socket connect(String from, int port) throws IOException {
		Socket socket = new Socket();
		socket.bind(new InetSocketAddress(from, 0));
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		return socket;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		List<String> all = new ArrayList<>(
				List.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		all.addAll(List.of(arguments));
		return new SpringApplication(WebApplication.class).run(all.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApplication {

	}

}
