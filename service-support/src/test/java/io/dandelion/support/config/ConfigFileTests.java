package io.dandelion.support.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dandelion.protocol.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class ConfigFileTests {

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
		ConfigFile config = load(Role.ENTRANCE, null, Map.of());
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
		ConfigFile config = load(Role.BOX, null, Map.of());
		assertThat(config.properties()).contains(
				entry("box.entrance-urls", List.of("http://127.0.0.1:7071/dandelion/ws/")),
				entry("server.address", "192.168.1.20"), entry("box.server-ip", "192.168.1.20"),
				entry("box.client-ip", ""), entry("server.port", "7071"), entry("box.server-proxy-port", "7070"),
				entry("box.base-directory", "/tmp"), entry("box.ping-entrance-freq", "2500ms"));
		assertThat(config.properties()).doesNotContainKeys("publisher.ip", "publisher.min-http-peers");
		assertThat(config.notices())
			.anyMatch((notice) -> notice.contains("not read by the box: MIN_HTTP_PEERS, PUBLISHER_IP"));
	}

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
		ConfigFile config = load(Role.PUBLISHER, null, Map.of());
		assertThat(config.properties()).contains(entry("publisher.entrance-urls", List.of()),
				entry("publisher.ip", "2001:db8::1"), entry("publisher.min-http-peers", "5"),
				entry("publisher.ping-entrance-freq", "10s"), entry("server.port", "7073"),
				entry("publisher.base-directory", "pub"));
	}

	@Test
	void shouldFlattenListsIntoIndexedProperties() throws IOException {
		write("config.yaml", "ENTRANCE_URLS: [http://a/x, 'http://b/y,z']\nBOX_PORT: 7071\n");
		assertThat(load(Role.BOX, null, Map.of()).flatProperties()).containsEntry("box.entrance-urls[0]", "http://a/x")
			.containsEntry("box.entrance-urls[1]", "http://b/y,z")
			.containsEntry("server.port", "7071")
			.doesNotContainKey("box.entrance-urls");
		write("config.yaml", "ENTRANCE_URLS: []\n");
		assertThat(load(Role.BOX, null, Map.of()).flatProperties()).containsEntry("box.entrance-urls", "");
	}

	@Test
	void shouldUseDefaultsWhenNoFileIsInTheWorkingDirectory() {
		ConfigFile config = load(Role.BOX, null, Map.of());
		assertThat(config.source()).isNull();
		assertThat(config.properties()).isEmpty();
		assertThat(config.notices()).singleElement()
			.asString()
			.contains("No config.yaml in " + this.directory)
			.contains("built-in defaults");
	}

	@Test
	void shouldReadAnExplicitFileRelativeToTheWorkingDirectory() throws IOException {
		Path file = write("conf/other.yaml", "ENTRANCE_PORT: 9000\n");
		ConfigFile config = load(Role.ENTRANCE, "conf/other.yaml", Map.of());
		assertThat(config.source()).isEqualTo(file);
		assertThat(config.properties()).containsEntry("server.port", "9000");
	}

	@Test
	void shouldFailWhenTheExplicitFileIsMissing() {
		assertThatExceptionOfType(ConfigFileException.class)
			.isThrownBy(() -> load(Role.ENTRANCE, "missing.yaml", Map.of()))
			.withMessage("Configuration file " + this.directory.resolve("missing.yaml")
					+ " given by --config=missing.yaml does not exist");
	}

	@Test
	void shouldFailWhenTheFileIsNotAMapping() throws IOException {
		Path file = write("config.yaml", "- REDIS_HOST\n- REDIS_PORT\n");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.BOX, null, Map.of()))
			.withMessage(
					"Configuration file " + file + " line 1 must be a YAML mapping of KEY: value lines, not a list");
	}

	@Test
	void shouldFailWhenTheFileIsNotYaml() throws IOException {
		Path file = write("config.yaml", "REDIS_HOST: [unclosed\n");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.BOX, null, Map.of()))
			.withMessageStartingWith("Configuration file " + file + " is not valid YAML");
	}

	@Test
	void shouldUseDefaultsWhenTheFileIsEmpty() throws IOException {
		write("config.yaml", "# nothing\n");
		ConfigFile config = load(Role.BOX, null, Map.of());
		assertThat(config.properties()).containsOnlyKeys(ConfigFile.SOURCE_PROPERTY);
		assertThat(config.notices()).anyMatch((notice) -> notice.contains("is empty"));
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
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.ENTRANCE, null, Map.of()))
			.withMessage(
					"Invalid value for ENTRANCE_PORT in " + file + " line 7: 'abc' is not a port number (1-65535)");
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
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.BOX, null, Map.of()))
			.withMessage("Invalid value for " + key + " in " + file + " line 2: " + problem);
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
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.PUBLISHER, null, Map.of()))
			.withMessage("Invalid value for " + key + " in " + file + " line 2: " + problem);
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
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.ENTRANCE, null, Map.of()))
			.withMessage("Invalid value for " + key + " in " + file + " line 2: " + problem);
	}

	@Test
	void shouldGiveTheLineOfTheBadListElement() throws IOException {
		Path file = write("entrance-config.yaml", """
				ENTRANCE_OTHER_URLS:
				  - http://a/dandelion/ws/
				  - 1.2.3.4:7070
				""");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.ENTRANCE, null, Map.of()))
			.withMessage("Invalid value for ENTRANCE_OTHER_URLS in " + file
					+ " line 3: '1.2.3.4:7070' is not an http, https, ws or wss URL");
	}

	@Test
	void shouldUseTheDefaultWhenAKeyHasNoValue() throws IOException {
		write("config.yaml", "BOX_SERVER_PROXY_PORT:\n");
		ConfigFile config = load(Role.BOX, null, Map.of());
		assertThat(config.properties()).doesNotContainKey("box.server-proxy-port");
		assertThat(config.notices()).anyMatch((notice) -> notice.contains("BOX_SERVER_PROXY_PORT")
				&& notice.contains("line 1 has no value: using the default"));
	}

	@Test
	void shouldFailOnADuplicateKey() throws IOException {
		Path file = write("config.yaml", "BOX_PORT: 1\nREDIS_HOST: x\nBOX_PORT: 2\n");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.BOX, null, Map.of()))
			.withMessage("Key BOX_PORT appears twice in " + file + " (lines 1 and 3)");
	}

	@Test
	void shouldWarnAboutUnknownKeysWithoutFailing() throws IOException {
		Path file = write("config.yaml", "REDIS_HOST: localhost\nBOX_COLOUR: blue\nbox_port: 7071\n");
		ConfigFile config = load(Role.BOX, null, Map.of());
		assertThat(config.warnings()).containsExactly("Unknown key BOX_COLOUR in " + file + " line 2 is ignored",
				"Unknown key box_port in " + file + " line 3 is ignored (did you mean BOX_PORT?)");
		assertThat(config.properties()).containsEntry("spring.data.redis.host", "localhost");
	}

	@Test
	void shouldNoteIgnoredKeysWithTheirReason() throws IOException {
		Path file = write("entrance-config.yaml", """
				ENTRANCE_REDIS_MINSIZE: 5
				ENTRANCE_MYSQL_HOST: 172.17.0.1
				BASE_URL: /dandelion
				""");
		ConfigFile config = load(Role.ENTRANCE, null, Map.of());
		assertThat(config.properties()).containsOnlyKeys(ConfigFile.SOURCE_PROPERTY);
		assertThat(config.warnings()).isEmpty();
		assertThat(config.notices()).contains(
				"Key ENTRANCE_REDIS_MINSIZE in " + file
						+ " line 1 is ignored: Lettuce multiplexes one connection, so there is no pool to size",
				"Key ENTRANCE_MYSQL_HOST in " + file
						+ " line 2 is ignored: box statistics are kept in Redis, there is no MySQL",
				"Key BASE_URL in " + file
						+ " line 3 is ignored: the paths are fixed by the protocol (/dandelion/..., /dandelion/ws/)");
	}

	@Test
	void shouldLetEnvironmentVariablesOverrideSingleKeys() throws IOException {
		write("config.yaml", "REDIS_HOST: localhost\nREDIS_PORT: 6379\nBOX_PORT: 7071\n");
		ConfigFile config = load(Role.BOX, null,
				Map.of("DANDELION_REDIS_HOST", "redis", "DANDELION_ENTRANCE_URLS",
						"http://10.0.0.1:7071/dandelion/ws/, wss://e.example.org/dandelion/ws/", "REDIS_PORT",
						"tcp://172.17.0.2:6379", "DANDELION_MIN_HTTP_PEERS", "not read by a box",
						"DANDELION_TEST_REDIS_URL", "redis://x"));
		assertThat(config.properties()).contains(entry("spring.data.redis.host", "redis"),
				entry("spring.data.redis.port", "6379"), entry("server.port", "7071"), entry("box.entrance-urls",
						List.of("http://10.0.0.1:7071/dandelion/ws/", "wss://e.example.org/dandelion/ws/")));
		assertThat(config.notices()).contains("REDIS_HOST is set by environment variable DANDELION_REDIS_HOST");
	}

	@Test
	void shouldApplyEnvironmentVariablesWithoutAFile() {
		ConfigFile config = load(Role.ENTRANCE, null,
				Map.of("DANDELION_BASE_DIRECTORY", "/srv/entrance", "DANDELION_ENTRANCE_MYSQL_DB", "x"));
		assertThat(config.source()).isNull();
		assertThat(config.properties()).containsOnly(entry("entrance.base-directory", "/srv/entrance"));
		assertThat(config.notices()).contains(
				"Environment variable DANDELION_ENTRANCE_MYSQL_DB is ignored: box statistics are kept in Redis, there is no MySQL");
	}

	@Test
	void shouldNameTheVariableOfABadEnvironmentValue() {
		assertThatExceptionOfType(ConfigFileException.class)
			.isThrownBy(() -> load(Role.ENTRANCE, null, Map.of("DANDELION_ENTRANCE_PORT", "seventy")))
			.withMessage("Invalid value for ENTRANCE_PORT in environment variable DANDELION_ENTRANCE_PORT: "
					+ "'seventy' is not a port number (1-65535)");
	}

	@Test
	void shouldMapEachUsedKeyOfEachRoleToAtLeastOneProperty() {
		for (ConfigKey key : ConfigKey.values()) {
			assertThat(key.roles()).as(key.name()).isNotEmpty();
			assertThat(key.meaning()).as(key.name()).isNotBlank();
			for (Role role : key.roles()) {
				if (key.isIgnored()) {
					assertThat(key.propertyNames(role)).as(key.name()).isEmpty();
				}
				else {
					assertThat(key.propertyNames(role)).as(key.name()).isNotEmpty().noneMatch((p) -> p.contains("{"));
				}
			}
		}
		assertThat(ConfigKey.BASE_DIRECTORY.propertyNames(Role.PUBLISHER)).containsExactly("publisher.base-directory");
		assertThat(ConfigKey.BOX_PORT.propertyNames(Role.ENTRANCE)).isEmpty();
		assertThat(ConfigKey.REDIS_HOST.environmentVariable()).isEqualTo("DANDELION_REDIS_HOST");
	}

	private ConfigFile load(Role role, String explicitPath, Map<String, String> environment) {
		return ConfigFile.load(role, explicitPath, this.directory, environment);
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.directory.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
