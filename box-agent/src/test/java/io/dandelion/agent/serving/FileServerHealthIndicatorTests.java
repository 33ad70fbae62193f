package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The box's health follows what its nginx can serve: UP while nginx sends the probe file
 * from the store, DOWN (503) once the store cannot be read by nginx's workers (its mode
 * set to 000: {@code nobody}, the workers of an nginx started by root, and any other user
 * but root are locked out), UP again when it can.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "box.server-ip=127.0.0.1", "box.serving.file-server=nginx" })
@WithTestRedis
class FileServerHealthIndicatorTests {

	private static final Path base = FileServingTestSupport.createTempDirectory("box-health").resolve("store");

	private static final int dataPort = FileServingTestSupport.freePort();

	@LocalServerPort
	private int appPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		registry.add("box.serving.data-port", () -> dataPort);
		registry.add("box.serving.nginx-binary", FileServingTestSupport::nginxBinary);
	}

	@AfterEach
	void openTheStore() throws IOException {
		Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		AbstractFileServingTests.deleteKeys(base);
	}

	@Test
	void shouldBeDownWhileNginxCannotReadTheStore() throws IOException {
		assertThat(health()).as("health with a readable store").startsWith("200 ").contains(fileServer("UP"));
		Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("---------"));
		assertThat(health()).as("health with a store nginx cannot enter")
			.startsWith("503 ")
			.contains("{\"status\":\"DOWN\"")
			.contains(fileServer("DOWN"));
		Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThat(health()).as("health with the store readable again").startsWith("200 ").contains(fileServer("UP"));
	}

	@Test
	void shouldWriteTheProbeFileAgainWhenItWentAway() throws IOException {
		Files.delete(FileServerProbe.file(base));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(health()).startsWith("200 "));
		assertThat(FileServerProbe.file(base)).exists();
	}

	private String health() {
		HttpResponse<byte[]> response = FileServingTestSupport.send("GET",
				"http://127.0.0.1:" + this.appPort + "/actuator/health");
		return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
	}

	private static String fileServer(String status) {
		return "\"fileServer\":{\"status\":\"" + status + "\"";
	}

}
