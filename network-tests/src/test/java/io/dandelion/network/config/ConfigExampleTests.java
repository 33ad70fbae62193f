package io.dandelion.network.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ConfigFile;
import io.dandelion.support.config.ConfigKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example files in {@code config/} document every key of their roles and load as they
 * are.
 */
class ConfigExampleTests {

	private static final Path CONFIG = Path.of("..", "config");

	@ParameterizedTest
	@EnumSource(Role.class)
	void shouldDocumentEveryKeyOfTheRole(Role role) throws IOException {
		String example = Files.readString(example(role));
		for (ConfigKey key : ConfigurationReference.keys(role).keys()) {
			if (key.isReadBy(role)) {
				// A key line, possibly commented out, preceded by a comment saying what
				// it means
				assertThat(Pattern.compile("(?m)^(# ?)?" + key.name() + ":").matcher(example).find())
					.as("%s documents %s", example(role), key)
					.isTrue();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(Role.class)
	void shouldLoadTheExampleWithoutWarnings(Role role) {
		ConfigFile config = ConfigFile.load(ConfigurationReference.keys(role), example(role).toString(), Path.of(""),
				Map.of());
		assertThat(config.source()).isEqualTo(example(role).toAbsolutePath().normalize());
		assertThat(config.warnings()).isEmpty();
		assertThat(config.properties()).containsKey("spring.data.redis.host");
	}

	private static Path example(Role role) {
		return CONFIG.resolve(ConfigFile.fileName(role) + ".example");
	}

}
