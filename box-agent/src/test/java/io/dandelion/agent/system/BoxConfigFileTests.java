package io.dandelion.agent.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.agent.BoxAgentApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.ConfigurableApplicationContext;

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
			assertThat(this.directory.resolve("box-id.txt")).exists();
			assertThat(context.getBean(ServerProperties.class).getAddress())
				.isEqualTo(InetAddress.getByName("127.0.0.1"));
		}
	}

}
