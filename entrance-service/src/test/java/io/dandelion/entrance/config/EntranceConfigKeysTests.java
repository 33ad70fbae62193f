package io.dandelion.entrance.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ConfigFile;
import io.dandelion.support.config.ConfigFileException;
import io.dandelion.support.config.ConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * The entrance's keys ({@link EntranceConfigKeys} and the shared ones) as
 * {@link ConfigFile} reads them: the Spring properties they set and the messages of bad
 * values.
 */
class EntranceConfigKeysTests {

	@TempDir
	Path directory;

	@Test
	void shouldMapEntranceKeysToSpringProperties() throws IOException {
		Path file = write("entrance-config.yaml", """
				REDIS_HOST: redis-entrance
				REDIS_PORT: 6380
				REDIS_PASSWORD: 0123
				DB: 2
				REDIS_COMMAND_TIMEOUT: 1.5
				REDIS_CONNECT_TIMEOUT: 3
				BASE_DIRECTORY: /var/lib/dandelion
				ENTRANCE_IP: 203.0.113.7
				ENTRANCE_PORT: 8071
				ENTRANCE_SERVER_PROXY_PORT: 8070
				ENTRANCE_EXPIRE_BOX_TIME: 60
				AMOUNT_OF_BOXES_PER_REQUEST: 10
				ENTRANCE_OTHER_URLS:
				  - https://198.51.100.1:7070/dandelion/ws/
				  - wss://entrance.example.org/dandelion/ws/
				""");
		ConfigFile config = load(null, Map.of());
		assertThat(config.source()).isEqualTo(file);
		assertThat(config.properties()).containsOnly(entry("spring.data.redis.host", "redis-entrance"),
				entry("spring.data.redis.port", "6380"), entry("spring.data.redis.password", "0123"),
				entry("spring.data.redis.database", "2"), entry("spring.data.redis.timeout", "1500ms"),
				entry("spring.data.redis.connect-timeout", "3s"),
				entry("entrance.base-directory", "/var/lib/dandelion"), entry("entrance.ip", "203.0.113.7"),
				entry("server.port", "8071"), entry("entrance.server-proxy-port", "8070"),
				entry("entrance.expire-box-time", "60s"), entry("entrance.amount-of-boxes-per-request", "10"),
				entry("entrance.other-urls",
						List.of("https://198.51.100.1:7070/dandelion/ws/", "wss://entrance.example.org/dandelion/ws/")),
				entry(ConfigFile.SOURCE_PROPERTY, file.toString()));
		assertThat(config.notices()).first().asString().contains("Read 13 setting(s) for the entrance from " + file);
		assertThat(config.warnings()).isEmpty();
	}

	@Test
	void shouldNameKeyFileLineValueAndExpectationOfABadValue() throws IOException {
		Path file = write("entrance-config.yaml", """
				# The entrance
				REDIS_HOST: localhost

				ENTRANCE_IP: ""

				# its port
				ENTRANCE_PORT: abc
				""");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(null, Map.of()))
			.withMessage(
					"Invalid value for ENTRANCE_PORT in " + file + " line 7: 'abc' is not a port number (1-65535)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			ENTRANCE_EXPIRE_BOX_TIME: 2m            | '2m' is not a number of seconds (0 or more)
			AMOUNT_OF_BOXES_PER_REQUEST: 1.5        | '1.5' is not a whole number of 1 or more
			ENTRANCE_SERVER_PROXY_PORT: -7070       | '-7070' is not a port number (1-65535)
			ENTRANCE_IP: 1.2.3                      | '1.2.3' is not an IPv4 or IPv6 address (or empty)
			""")
	void shouldRejectBadEntranceValues(String line, String problem) throws IOException {
		Path file = write("entrance-config.yaml", "\n" + line + "\n");
		String key = line.substring(0, line.indexOf(':'));
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(null, Map.of()))
			.withMessage("Invalid value for " + key + " in " + file + " line 2: " + problem);
	}

	@Test
	void shouldGiveTheLineOfTheBadListElement() throws IOException {
		Path file = write("entrance-config.yaml", """
				ENTRANCE_OTHER_URLS:
				  - http://a/dandelion/ws/
				  - 1.2.3.4:7070
				""");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(null, Map.of()))
			.withMessage("Invalid value for ENTRANCE_OTHER_URLS in " + file
					+ " line 3: '1.2.3.4:7070' is not an http, https, ws or wss URL");
	}

	private ConfigFile load(String explicitPath, Map<String, String> environment) {
		return ConfigFile.load(ConfigKeys.of(Role.ENTRANCE, EntranceConfigKeys.class), explicitPath, this.directory,
				environment);
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.directory.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
