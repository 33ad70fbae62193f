package io.dandelion.agent.config;

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
 * The box's keys ({@link BoxConfigKeys} and the shared ones) as {@link ConfigFile} reads
 * them: the Spring properties they set and the messages of bad values.
 */
class BoxConfigKeysTests {

	@TempDir
	Path directory;

	@Test
	void shouldMapBoxKeysToSpringProperties() throws IOException {
		write("config.yaml", """
				ENTRANCE_URLS: [ "http://127.0.0.1:7071/dandelion/ws/" ]
				BOX_SERVER_IP: 192.168.1.20
				BOX_CLIENT_IP: ""
				BOX_PORT: 7071
				BOX_SERVER_PROXY_PORT: 7070
				BASE_DIRECTORY: /tmp
				BOX_PING_ENTRANCE_FREQ: 2.5
				PUBLISHER_IP: ""
				MIN_HTTP_PEERS: 20
				""");
		ConfigFile config = load(null, Map.of());
		assertThat(config.properties()).contains(
				entry("box.entrance-urls", List.of("http://127.0.0.1:7071/dandelion/ws/")),
				entry("server.address", "192.168.1.20"), entry("box.server-ip", "192.168.1.20"),
				entry("box.client-ip", ""), entry("server.port", "7071"), entry("box.server-proxy-port", "7070"),
				entry("box.base-directory", "/tmp"), entry("box.ping-entrance-freq", "2500ms"));
		assertThat(config.properties()).doesNotContainKeys("publisher.ip", "publisher.min-http-peers");
		assertThat(config.notices())
			.anyMatch((notice) -> notice.contains("not read by the box: MIN_HTTP_PEERS, PUBLISHER_IP"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			REDIS_PORT: 0                       | '0' is not a port number (1-65535)
			DB: -1                              | '-1' is not a whole number of 0 or more
			BOX_SERVER_IP: localhost            | 'localhost' is not an IPv4 or IPv6 address
			BOX_SERVER_IP: ''                   | '' is not an IPv4 or IPv6 address
			BOX_CLIENT_IP: 300.1.1.1            | '300.1.1.1' is not an IPv4 or IPv6 address (or empty)
			BOX_PORT: 70000                     | '70000' is not a port number (1-65535)
			BOX_PING_ENTRANCE_FREQ: -5          | '-5' is not a number of seconds (0 or more)
			REDIS_COMMAND_TIMEOUT: 0            | '0' is not a number of seconds of 1.5 or more
			REDIS_COMMAND_TIMEOUT: 1            | '1' is not a number of seconds of 1.5 or more
			REDIS_CONNECT_TIMEOUT: 0.01         | '0.01' is not a number of seconds of 0.1 or more
			REDIS_CONNECT_TIMEOUT: soon         | 'soon' is not a number of seconds of 0.1 or more
			BOX_PING_ENTRANCE_FREQ: [1, 2]      | a list is not a number of seconds (0 or more)
			BASE_DIRECTORY: ''                  | '' is not a file system path
			BASE_DIRECTORY: {a: b}              | a mapping is not a file system path
			ENTRANCE_URLS: ftp://x/             | 'ftp://x/' is not an http, https, ws or wss URL
			ENTRANCE_URLS: [http://a/, nope]    | 'nope' is not an http, https, ws or wss URL
			ENTRANCE_URLS: [[http://a/]]        | a list is not an http, https, ws or wss URL
			ENTRANCE_URLS: {a: b}               | a mapping is not a list of http, https, ws or wss URLs
			""")
	void shouldRejectBadBoxValues(String line, String problem) throws IOException {
		Path file = write("config.yaml", "REDIS_HOST: localhost\n" + line + "\n");
		String key = line.substring(0, line.indexOf(':'));
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(null, Map.of()))
			.withMessage("Invalid value for " + key + " in " + file + " line 2: " + problem);
	}

	private ConfigFile load(String explicitPath, Map<String, String> environment) {
		return ConfigFile.load(ConfigKeys.of(Role.BOX, BoxConfigKeys.class), explicitPath, this.directory, environment);
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.directory.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
