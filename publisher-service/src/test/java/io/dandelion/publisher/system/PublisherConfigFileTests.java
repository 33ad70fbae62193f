package io.dandelion.publisher.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.publisher.PublisherServiceApplication;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.trust.PublisherSigningKey;
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
				PUBLISHER_SIGNING_KEY: %s/keys/signing.pem
				""".formatted(this.directory, this.directory));
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
			// Made at first start where the setting says
			assertThat(properties.signingKeyFile()).isEqualTo(this.directory.resolve("keys/signing.pem"));
			assertThat(this.directory.resolve("keys/signing.pem")).exists();
			assertThat(this.directory.resolve("publisher-signing-key.pem")).doesNotExist();
			assertThat(context.getBean(PublisherSigningKey.class).publicKey())
				.isEqualTo(PublisherSigningKey.loadOrCreate(this.directory.resolve("keys/signing.pem")).publicKey());
		}
	}

	@Test
	void shouldKeepTheSigningKeyInTheBaseDirectoryByDefault() throws IOException {
		Path file = Files.writeString(this.directory.resolve("config.yaml"), """
				BASE_DIRECTORY: %s
				SECURITY_MODE: compatible
				""".formatted(this.directory));
		String first;
		try (ConfigurableApplicationContext context = new SpringApplication(PublisherServiceApplication.class)
			.run("--config=" + file, "--server.port=0")) {
			first = context.getBean(PublisherSigningKey.class).publicKey();
		}
		assertThat(this.directory.resolve("publisher-signing-key.pem")).exists();
		// Never replaced: every manifest signed before stays valid after a restart
		try (ConfigurableApplicationContext context = new SpringApplication(PublisherServiceApplication.class)
			.run("--config=" + file, "--server.port=0")) {
			assertThat(context.getBean(PublisherSigningKey.class).publicKey()).isEqualTo(first);
		}
	}

}
