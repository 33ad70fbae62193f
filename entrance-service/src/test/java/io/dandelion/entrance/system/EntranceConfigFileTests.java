package io.dandelion.entrance.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.entrance.EntranceServiceApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entrance reads the entrance's keys of the original's {@code entrance-config.yaml}
 * into its settings (how the file becomes a property source is tested in
 * service-support).
 */
class EntranceConfigFileTests {

	@TempDir
	Path directory;

	@Test
	void shouldBindTheConfigFile() throws IOException {
		Path file = Files.writeString(this.directory.resolve("entrance-config.yaml"), """
				ENTRANCE_IP: 203.0.113.9
				ENTRANCE_EXPIRE_BOX_TIME: 30
				ENTRANCE_OTHER_URLS:
				  - https://198.51.100.1:7070/dandelion/ws/
				BASE_DIRECTORY: %s
				""".formatted(this.directory));
		try (ConfigurableApplicationContext context = new SpringApplication(EntranceServiceApplication.class)
			.run("--config=" + file, "--server.port=0")) {
			EntranceProperties properties = context.getBean(EntranceProperties.class);
			assertThat(properties.ip()).isEqualTo("203.0.113.9");
			assertThat(properties.expireBoxTime()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.otherUrls()).containsExactly(URI.create("https://198.51.100.1:7070/dandelion/ws/"));
			assertThat(properties.amountOfBoxesPerRequest()).isEqualTo(20);
			assertThat(properties.serverProxyPort()).isNull();
			assertThat(properties.baseDirectory()).isEqualTo(this.directory);
			assertThat(this.directory.resolve("entrance-id.txt")).exists();
		}
	}

}
