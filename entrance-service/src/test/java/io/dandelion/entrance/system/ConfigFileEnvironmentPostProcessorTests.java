package io.dandelion.entrance.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.entrance.EntranceServiceApplication;
import io.dandelion.protocol.config.ConfigFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileEnvironmentPostProcessorTests {

	@TempDir
	Path directory;

	@Test
	void shouldFailToStartWhenTheConfigFileHoldsABadValue() throws IOException {
		Path file = Files.writeString(this.directory.resolve("entrance-config.yaml"),
				"ENTRANCE_IP: ''\nENTRANCE_PORT: abc\n");
		assertThatThrownBy(() -> new SpringApplication(EntranceServiceApplication.class).run("--config=" + file))
			.isInstanceOf(ConfigFileException.class)
			.hasMessageContainingAll("ENTRANCE_PORT", file.toString(), "line 2", "'abc'");
	}

	@Test
	void shouldBindTheConfigFileBelowTheCommandLine() throws IOException {
		Path file = Files.writeString(this.directory.resolve("entrance-config.yaml"), """
				REDIS_HOST: redis-entrance
				ENTRANCE_PORT: 7999
				ENTRANCE_IP: 203.0.113.9
				ENTRANCE_EXPIRE_BOX_TIME: 30
				ENTRANCE_OTHER_URLS:
				  - https://198.51.100.1:7070/dandelion/ws/
				BASE_DIRECTORY: %s
				ENTRANCE_MYSQL_HOST: 172.17.0.1
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
			assertThat(context.getEnvironment().getProperty("spring.data.redis.host")).isEqualTo("redis-entrance");
			assertThat(((WebServerApplicationContext) context).getWebServer().getPort()).isNotEqualTo(7999);
		}
	}

}
