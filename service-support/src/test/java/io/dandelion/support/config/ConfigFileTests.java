package io.dandelion.support.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dandelion.protocol.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class ConfigFileTests {

	@TempDir
	Path directory;

	@Test
	void shouldFlattenListsIntoIndexedProperties() throws IOException {
		write("config.yaml", "ENTRANCE_URLS: [http://a/x, 'http://b/y,z']\nREDIS_PORT: 7071\n");
		assertThat(load(Role.BOX, null, Map.of()).flatProperties()).containsEntry("box.entrance-urls[0]", "http://a/x")
			.containsEntry("box.entrance-urls[1]", "http://b/y,z")
			.containsEntry("spring.data.redis.port", "7071")
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
		Path file = write("conf/other.yaml", "REDIS_PORT: 9000\n");
		ConfigFile config = load(Role.ENTRANCE, "conf/other.yaml", Map.of());
		assertThat(config.source()).isEqualTo(file);
		assertThat(config.properties()).containsEntry("spring.data.redis.port", "9000");
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
	void shouldUseTheDefaultWhenAKeyHasNoValue() throws IOException {
		write("config.yaml", "REDIS_PASSWORD:\n");
		ConfigFile config = load(Role.BOX, null, Map.of());
		assertThat(config.properties()).doesNotContainKey("spring.data.redis.password");
		assertThat(config.notices()).anyMatch((notice) -> notice.contains("REDIS_PASSWORD")
				&& notice.contains("line 1 has no value: using the default"));
	}

	@Test
	void shouldFailOnADuplicateKey() throws IOException {
		Path file = write("config.yaml", "REDIS_PORT: 1\nREDIS_HOST: x\nREDIS_PORT: 2\n");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.BOX, null, Map.of()))
			.withMessage("Key REDIS_PORT appears twice in " + file + " (lines 1 and 3)");
		Path other = write("config.yaml", "MIN_HTTP_PEERS: 1\nMIN_HTTP_PEERS: 2\n");
		assertThatExceptionOfType(ConfigFileException.class).isThrownBy(() -> load(Role.BOX, null, Map.of()))
			.withMessage("Key MIN_HTTP_PEERS appears twice in " + other + " (lines 1 and 2)");
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
		write("config.yaml", "REDIS_HOST: localhost\nREDIS_PORT: 6379\nDB: 3\n");
		ConfigFile config = load(Role.BOX, null,
				Map.of("DANDELION_REDIS_HOST", "redis", "DANDELION_ENTRANCE_URLS",
						"http://10.0.0.1:7071/dandelion/ws/, wss://e.example.org/dandelion/ws/", "REDIS_PORT",
						"tcp://172.17.0.2:6379", "DANDELION_MIN_HTTP_PEERS", "not read by a box",
						"DANDELION_TEST_REDIS_URL", "redis://x"));
		assertThat(config.properties()).contains(entry("spring.data.redis.host", "redis"),
				entry("spring.data.redis.port", "6379"), entry("spring.data.redis.database", "3"),
				entry("box.entrance-urls",
						List.of("http://10.0.0.1:7071/dandelion/ws/", "wss://e.example.org/dandelion/ws/")));
		assertThat(config.notices()).contains("REDIS_HOST is set by environment variable DANDELION_REDIS_HOST");
	}

	@Test
	void shouldPointSpringAtTheRedisClusterNodes() throws IOException {
		write("config.yaml", "REDIS_CLUSTER_NODES: [10.0.0.11:6379, 'redis-2:6379']\n");
		assertThat(load(Role.PUBLISHER, null, Map.of()).flatProperties())
			.containsEntry("spring.data.redis.cluster.nodes[0]", "10.0.0.11:6379")
			.containsEntry("spring.data.redis.cluster.nodes[1]", "redis-2:6379");
		assertThat(load(Role.BOX, null, Map.of("DANDELION_REDIS_CLUSTER_NODES", "127.0.0.1:7001, 127.0.0.1:7002"))
			.properties())
			.containsEntry("spring.data.redis.cluster.nodes", List.of("127.0.0.1:7001", "127.0.0.1:7002"));
		assertThatExceptionOfType(ConfigFileException.class)
			.isThrownBy(() -> load(Role.ENTRANCE, null, Map.of("DANDELION_REDIS_CLUSTER_NODES", "redis://a:6379")))
			.withMessageContaining("'redis://a:6379' is not a host:port address");
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
			.isThrownBy(() -> load(Role.ENTRANCE, null, Map.of("DANDELION_REDIS_PORT", "seventy")))
			.withMessage("Invalid value for REDIS_PORT in environment variable DANDELION_REDIS_PORT: "
					+ "'seventy' is not a port number (1-65535)");
	}

	@Test
	void shouldNoteTheKeysOfOtherRolesByTheirNamesAlone() throws IOException {
		// The services' own keys are not on service-support's classpath: the catalogue
		// names them
		Path file = write("entrance-config.yaml", "REDIS_HOST: x\nBOX_PORT: 7071\nMIN_HTTP_PEERS: 3\n");
		ConfigFile config = load(Role.ENTRANCE, null, Map.of());
		assertThat(config.properties()).containsOnlyKeys("spring.data.redis.host", ConfigFile.SOURCE_PROPERTY);
		assertThat(config.warnings()).isEmpty();
		assertThat(config.notices()).containsExactly("Read 1 setting(s) for the entrance from " + file,
				"Keys of other roles in " + file + ", not read by the entrance: BOX_PORT, MIN_HTTP_PEERS");
	}

	@Test
	void shouldNameEveryKeyOfEveryRoleInTheCatalogue() {
		assertThat(ConfigKeys.catalogue()).containsEntry("REDIS_HOST", Set.of(Role.values()))
			.containsEntry("BOX_PORT", Set.of(Role.BOX))
			.containsEntry("ENTRANCE_URLS", Set.of(Role.BOX, Role.PUBLISHER))
			.containsEntry("ENTRANCE_MYSQL_HOST", Set.of(Role.ENTRANCE));
		for (ConfigKey key : ConfigKeys.declaredIn(SharedConfigKeys.class)) {
			assertThat(ConfigKeys.catalogue()).containsEntry(key.name(), key.roles());
		}
		assertThat(SharedConfigKeys.BASE_DIRECTORY.propertyNames(Role.PUBLISHER))
			.containsExactly("publisher.base-directory");
		assertThat(SharedConfigKeys.GEOIP_DATABASE.propertyNames(Role.BOX)).isEmpty();
		assertThat(SharedConfigKeys.REDIS_HOST.environmentVariable()).isEqualTo("DANDELION_REDIS_HOST");
	}

	private ConfigFile load(Role role, String explicitPath, Map<String, String> environment) {
		return ConfigFile.load(ConfigKeys.of(role, Void.class), explicitPath, this.directory, environment);
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.directory.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
