package io.dandelion.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.dandelion.agent.BoxAgentApplication;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.support.security.SecurityMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The box reads the box's keys of the original's {@code config.yaml} into its settings
 * (how the file becomes a property source is tested in service-support).
 */
class BoxConfigFileTests {

	@TempDir
	Path directory;

	@Test
	void shouldBindTheConfigFileAndBindToTheServerIp() throws IOException {
		Path file = Files.writeString(this.directory.resolve("config.yaml"), """
				BOX_SERVER_IP: 127.0.0.1
				BOX_SERVER_PROXY_PORT: 7070
				BOX_PING_ENTRANCE_FREQ: 2
				ENTRANCE_URLS:
				  - http://127.0.0.1:7071/dandelion/ws/
				  - wss://127.0.9.9:7443/dandelion/ws/
				BASE_DIRECTORY: %s
				MIN_HTTP_PEERS: 3
				BOX_MAX_STORAGE_PER_PUBLISHER: 300MB
				""".formatted(this.directory));
		try (ConfigurableApplicationContext context = new SpringApplication(BoxAgentApplication.class)
			.run("--config=" + file, "--server.port=0", "--box.serving.data-port=0")) {
			BoxProperties properties = context.getBean(BoxProperties.class);
			assertThat(properties.serverIp()).isEqualTo("127.0.0.1");
			assertThat(properties.serverProxyPort()).isEqualTo(7070);
			assertThat(properties.pingEntranceFreq()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.entranceUrls()).containsExactly(URI.create("http://127.0.0.1:7071/dandelion/ws/"),
					URI.create("wss://127.0.9.9:7443/dandelion/ws/"));
			assertThat(properties.clientIp()).isNull();
			assertThat(properties.store().publisherQuota()).isEqualTo(DataSize.ofMegabytes(300));
			assertThat(this.directory.resolve("box-id.txt")).exists();
			assertThat(context.getBean(ServerProperties.class).getAddress())
				.isEqualTo(InetAddress.getByName("127.0.0.1"));
		}
	}

	@Test
	void shouldReadTheSettingsOfTrust() throws IOException {
		NodeCredential credential = TestTrust.boxCredential();
		String otherKey = Ed25519Keys.encode(TestTrust.keyPair(7).getPublic());
		Path file = Files.writeString(this.directory.resolve("config.yaml"), """
				BASE_DIRECTORY: %s
				SECURITY_MODE: compatible
				CREDENTIAL: %s
				SIGNED_VIEWER_URLS: false
				ENTRANCE_PUBLIC_KEYS:
				  - %s
				  - %s
				""".formatted(this.directory, credential.format(), TestTrust.entrancePublicKey(), otherKey));
		List<String> args = new ArrayList<>(List.of("--config=" + file, "--server.port=0", "--box.serving.data-port=0",
				"--spring.data.redis.url=" + TestRedis.url()));
		TestRedis.keyLayoutProperties().forEach((setting) -> args.add("--" + setting));
		try (ConfigurableApplicationContext context = new SpringApplication(BoxAgentApplication.class)
			.run(args.toArray(String[]::new))) {
			BoxSecurity security = context.getBean(BoxSecurity.class);
			assertThat(security.mode()).isEqualTo(SecurityMode.COMPATIBLE);
			assertThat(security.credential()).contains(credential);
			assertThat(security.viewerUrlsSigned()).isFalse();
			assertThat(security.entranceKeys()).extracting(Ed25519Keys::encode)
				.containsExactly(TestTrust.entrancePublicKey(), otherKey);
			assertThat(context.getBean(NodeId.class)).isEqualTo(credential.id());
		}
		finally {
			TestRedis.deleteKeysWithPrefix(TestRedis.keys(credential.id().value()).prefix());
		}
	}

}
