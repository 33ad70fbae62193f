package io.dandelion.agent.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.publish.PublisherTestClient;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serving in nginx mode: a real nginx binary started, checked and supervised by the box
 * on a free loopback port with the generated configuration.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "box.server-ip=127.0.0.1", "box.serving.file-server=nginx" })
@WithTestRedis
class NginxSupervisorTests extends AbstractFileServingTests {

	private static final Path base = FileServingTestSupport.createTempDirectory("box-nginx").resolve("store");

	private static final int dataPort = FileServingTestSupport.freePort();

	private static final int proxyPort = FileServingTestSupport.freePort();

	@Autowired
	private NginxSupervisor supervisor;

	private static final NodeCredential credential = TestTrust.boxCredential();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, credential);
		registry.add("box.serving.data-port", () -> dataPort);
		registry.add("box.server-proxy-port", () -> proxyPort);
		registry.add("box.serving.nginx-binary", FileServingTestSupport::nginxBinary);
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		deleteKeys(base);
	}

	@Override
	Path base() {
		return base;
	}

	@Override
	NodeCredential credential() {
		return credential;
	}

	@Override
	int dataPort() {
		return dataPort;
	}

	@Test
	void shouldRunNginxWithEverythingInTheRunDirectory() throws IOException {
		Path run = base.resolve("run");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		// Another test may just have restarted it: wait for the master's pid file
		while (!Files.exists(run.resolve("nginx.pid")) || this.supervisor.process().isEmpty()
				|| !Files.readString(run.resolve("nginx.pid"))
					.strip()
					.equals(Long.toString(this.supervisor.process().get().pid()))) {
			assertThat(System.nanoTime()).as("nginx running with its pid file").isLessThan(deadline);
			Mono.delay(Duration.ofMillis(50)).block();
		}
		assertThat(run.resolve("nginx.conf")).exists();
		assertThat(run.resolve("error.log")).exists();
		assertThat(Files.readString(run.resolve("nginx.conf"))).doesNotContain("/var/")
			.doesNotContain("\nuser ")
			.contains("daemon off;")
			.contains("secure_link_md5 \"$secure_link_expires$uri " + credential.urlSecret() + "\";");
		// It holds the box's URL secret
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("nginx.conf"))))
			.isEqualTo("rw-------");
	}

	@Test
	void shouldProxyTheBoxPagesOnTheProxyPort() {
		var response = FileServingTestSupport.send("GET",
				"http://127.0.0.1:" + proxyPort + "/dandelion/" + this.boxId.value() + "/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(new String(response.body())).isEqualTo("HI " + this.boxId.value());
	}

	@Test
	void shouldPublishThroughTheProxyPort() {
		byte[] content = "through nginx".getBytes();
		var client = new PublisherTestClient(proxyPort, this.boxId.value());
		var conversation = client.exchange(2, client.publish(this.publisherId),
				PublisherTestClient.frame("/proxied.txt", 0, content));
		// The box advertises the proxy port
		assertThat(conversation.reply(0)).containsEntry("PORT", proxyPort);
		assertThat(conversation.reply(1)).containsEntry("SIZE", content.length);
	}

	@Test
	void shouldRestartNginxWhenItDies() {
		ProcessHandle first = this.supervisor.process().orElseThrow();
		first.destroyForcibly();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.supervisor.process().map((p) -> p.pid() == first.pid()).orElse(true)) {
			assertThat(System.nanoTime()).as("nginx restarted").isLessThan(deadline);
			Mono.delay(Duration.ofMillis(50)).block();
		}
		// Serving again once the new master bound the port (refused until then)
		byte[] content = publish("/after-restart.txt", "again".getBytes());
		while (statusOrZero(url("/" + this.publisherId + "/after-restart.txt")) != 200) {
			assertThat(System.nanoTime()).as("serving after restart").isLessThan(deadline);
			Mono.delay(Duration.ofMillis(50)).block();
		}
		assertThat(content).isNotEmpty();
	}

	/** The status of a GET, 0 while nothing listens (the new master binding its port). */
	private static int statusOrZero(String url) {
		try {
			return FileServingTestSupport.send("GET", url).statusCode();
		}
		catch (IllegalStateException ex) {
			return 0;
		}
	}

	@Test
	void shouldNotReloadAnUnchangedConfiguration() {
		assertThat(this.supervisor.reload()).isFalse();
	}

}
