package io.dandelion.publisher.config;

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
 * The publisher's keys ({@link PublisherConfigKeys} and the shared ones) as
 * {@link ConfigFile} reads them: the Spring properties they set and the messages of bad
 * values.
 */
class PublisherConfigKeysTests {

	@TempDir
	Path directory;

	@Test
	void shouldMapPublisherKeysToSpringProperties() throws IOException {
		write("config.yaml", """
				ENTRANCE_URLS: []
				PUBLISHER_IP: 2001:db8::1
				MIN_HTTP_PEERS: 5
				PUBLISHER_PING_ENTRANCE_FREQ: 10
				PUBLISHER_PORT: 7073
				BASE_DIRECTORY: pub
				""");
		ConfigFile config = load(null, Map.of());
		assertThat(config.properties()).contains(entry("publisher.entrance-urls", List.of()),
				entry("publisher.ip", "2001:db8::1"), entry("publisher.min-http-peers", "5"),
				entry("publisher.ping-entrance-freq", "10s"), entry("server.port", "7073"),
				entry("publisher.base-directory", "pub"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			MIN_HTTP_PEERS: 0                   | '0' is not a whole number of 1 or more
			PUBLISHER_PING_ENTRANCE_FREQ: often | 'often' is not a number of seconds (0 or more)
			PUBLISHER_IP: example.com           | 'example.com' is not an IPv4 or IPv6 address (or empty)
			PUBLISHER_PORT: http                | 'http' is not a port number (1-65535)
			""")
	void shouldRejectBadPublisherValues(String line, String problem) throws IOException {
		Path file = write("config.yaml", "\n" + line + "\n");
		String key = line.substring(0, line.indexOf(':'));
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(null, Map.of()))
			.withMessage("Invalid value for " + key + " in " + file + " line 2: " + problem);
	}

	private ConfigFile load(String explicitPath, Map<String, String> environment) {
		return ConfigFile.load(ConfigKeys.of(Role.PUBLISHER, PublisherConfigKeys.class), explicitPath, this.directory,
				environment);
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.directory.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
