package io.dandelion.support.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.dandelion.protocol.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class ConfigFileEnvironmentPostProcessorTests {

	@TempDir
	Path directory;

	@Test
	void shouldReadTheKeysOfTheDeclaredRole(CapturedOutput output) throws IOException {
		Path file = write("config.yaml", """
				REDIS_HOST: redis-box
				BOX_SERVER_IP: 127.0.0.1
				ENTRANCE_URLS:
				  - ws://127.0.0.1:7071/dandelion/ws/
				ENTRANCE_IP: 203.0.113.9
				""");
		try (ConfigurableApplicationContext context = application(BoxApplication.class).run("--config=" + file)) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.data.redis.host")).isEqualTo("redis-box");
			assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
			assertThat(environment.getProperty("box.server-ip")).isEqualTo("127.0.0.1");
			assertThat(environment.getProperty("box.entrance-urls[0]")).isEqualTo("ws://127.0.0.1:7071/dandelion/ws/");
			assertThat(environment.containsProperty("entrance.ip")).isFalse();
			assertThat(environment.getProperty(ConfigFile.SOURCE_PROPERTY)).isEqualTo(file.toString());
		}
		assertThat(output).contains("Read 3 setting(s) for the box from " + file)
			.contains("not read by the box: ENTRANCE_IP");
	}

	@Test
	void shouldPlaceTheFileBelowTheCommandLineAndAboveApplicationProperties() throws IOException {
		Path file = write("entrance-config.yaml", "ENTRANCE_PORT: 7999\nENTRANCE_IP: 203.0.113.9\n");
		Path applicationProperties = write("application.properties",
				"entrance.ip=198.51.100.7\nentrance.amount-of-boxes-per-request=5\n");
		try (ConfigurableApplicationContext context = application(EntranceApplication.class).run("--config=" + file,
				"--server.port=0", "--spring.config.location=file:" + applicationProperties)) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("server.port")).isEqualTo("0");
			assertThat(environment.getProperty("entrance.ip")).isEqualTo("203.0.113.9");
			assertThat(environment.getProperty("entrance.amount-of-boxes-per-request")).isEqualTo("5");
			// System properties and environment variables win over the file too
			List<String> sources = environment.getPropertySources().stream().map(PropertySource::getName).toList();
			assertThat(sources.indexOf(ConfigFileEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
				.isEqualTo(sources.indexOf(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME) + 1);
		}
	}

	@Test
	void shouldFailToStartWhenTheConfigFileHoldsABadValue() throws IOException {
		Path file = write("config.yaml", "\n\nMIN_HTTP_PEERS: many\n");
		assertThatThrownBy(() -> application(PublisherApplication.class).run("--config=" + file))
			.isInstanceOf(ConfigFileException.class)
			.hasMessageContainingAll("MIN_HTTP_PEERS", file.toString(), "line 3", "'many'");
	}

	@Test
	void shouldTakeTheRoleFromAnySourceOfTheApplication() throws IOException {
		Path file = write("config.yaml", "MIN_HTTP_PEERS: 4\n");
		try (ConfigurableApplicationContext context = application(PlainApplication.class, PublisherApplication.class)
			.run("--config=" + file)) {
			assertThat(context.getEnvironment().getProperty("publisher.min-http-peers")).isEqualTo("4");
		}
	}

	@Test
	void shouldLeaveAnApplicationWithoutARoleAlone() {
		// A --config that names no file would stop a service
		try (ConfigurableApplicationContext context = application(PlainApplication.class)
			.run("--config=" + this.directory.resolve("missing.yaml"))) {
			assertThat(context.getEnvironment()
				.getPropertySources()
				.contains(ConfigFileEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
			assertThat(context.getEnvironment().containsProperty(ConfigFile.SOURCE_PROPERTY)).isFalse();
		}
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.directory.resolve(name), content);
	}

	private static SpringApplication application(Class<?>... sources) {
		SpringApplication application = new SpringApplication(sources);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application;
	}

	@ServiceRole(value = Role.BOX, keys = BoxKeys.class)
	static class BoxApplication {

	}

	@ServiceRole(value = Role.ENTRANCE, keys = EntranceKeys.class)
	static class EntranceApplication {

	}

	@ServiceRole(value = Role.PUBLISHER, keys = PublisherKeys.class)
	static class PublisherApplication {

	}

	/**
	 * Stand-ins for a few of the services' own keys, which service-support does not see.
	 */
	static final class BoxKeys {

		public static final ConfigKey BOX_SERVER_IP = ConfigKey.of(Role.BOX, "BOX_SERVER_IP",
				ValueType.ipAddress(false), "address", "server.address", "box.server-ip");

	}

	static final class EntranceKeys {

		public static final ConfigKey ENTRANCE_IP = ConfigKey.of(Role.ENTRANCE, "ENTRANCE_IP",
				ValueType.ipAddress(true), "address", "entrance.ip");

		public static final ConfigKey ENTRANCE_PORT = ConfigKey.of(Role.ENTRANCE, "ENTRANCE_PORT", ValueType.port(),
				"port", "server.port");

	}

	static final class PublisherKeys {

		public static final ConfigKey MIN_HTTP_PEERS = ConfigKey.of(Role.PUBLISHER, "MIN_HTTP_PEERS",
				ValueType.positiveInt(), "peers", "publisher.min-http-peers");

	}

	static class PlainApplication {

	}

}
