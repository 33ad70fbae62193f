package io.dandelion.publisher.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.publisher.PublisherServiceApplication;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher reads the publisher's keys of the original's {@code config.yaml} into its
 * settings (how the file becomes a property source is tested in service-support).
 */
class PublisherConfigFileTests {

	@TempDir
	Path directory;

	@Test
	void shouldBindTheConfigFile() throws IOException {
		Path file = Files.writeString(this.directory.resolve("config.yaml"), """
				PUBLISHER_IP: ""
				MIN_HTTP_PEERS: 4
				PUBLISHER_PING_ENTRANCE_FREQ: 0.5
				ENTRANCE_URLS: []
				BASE_DIRECTORY: %s
				PUBLISHER_REDIS_MINSIZE: 5
				SECURITY_MODE: compatible
				PUBLISHER_API_TOKEN: the-token
				VIEWER_URL_TTL: 90
				SIGNED_VIEWER_URLS: false
				""".formatted(this.directory));
		try (ConfigurableApplicationContext context = new SpringApplication(PublisherServiceApplication.class)
			.run("--config=" + file, "--server.port=0")) {
			PublisherProperties properties = context.getBean(PublisherProperties.class);
			assertThat(properties.ip()).isEmpty();
			assertThat(properties.minHttpPeers()).isEqualTo(4);
			assertThat(properties.pingEntranceFreq()).isEqualTo(Duration.ofMillis(500));
			assertThat(properties.entranceUrls()).isEmpty();
			assertThat(this.directory.resolve("publisher-id.txt")).exists();
			assertThat(properties.security().apiToken()).isEqualTo("the-token");
			assertThat(properties.security().viewerUrlTtl()).isEqualTo(Duration.ofSeconds(90));
			SecurityProperties security = context.getBean(SecurityProperties.class);
			assertThat(security.mode()).isEqualTo(SecurityMode.COMPATIBLE);
			assertThat(security.signedViewerUrls()).isFalse();
		}
	}

}
