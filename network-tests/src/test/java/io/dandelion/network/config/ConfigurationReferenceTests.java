package io.dandelion.network.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ConfigKey;
import io.dandelion.support.config.ConfigKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference ({@code docs/configuration-reference.md}), the example
 * files ({@code config/*.yaml.example}) and service-support's key catalogue are generated
 * from the keys in the code, and committed: this test fails when one of them differs from
 * what the keys give, and rewrites them with {@code -Ddandelion.config.regenerate=true}.
 */
class ConfigurationReferenceTests {

	static final String REGENERATE_COMMAND = "./mvnw -B -o -pl network-tests -am test "
			+ "-Dtest=ConfigurationReferenceTests -Dsurefire.failIfNoSpecifiedTests=false "
			+ "-Ddandelion.config.regenerate=true";

	private static final Pattern LAUNCHER_FUNCTION = Pattern.compile("([a-z_]+)\\(\\) \\{");

	private static final Pattern LAUNCHER_KEY = Pattern.compile("(?:'|\\\\n)([A-Z][A-Z0-9_]*):");

	private final ConfigurationReference reference = new ConfigurationReference();

	@Test
	void shouldMatchTheCommittedFiles() throws IOException {
		boolean regenerate = Boolean.getBoolean("dandelion.config.regenerate");
		List<String> stale = new ArrayList<>();
		for (Map.Entry<String, String> file : this.reference.files().entrySet()) {
			Path path = ConfigurationReference.ROOT.resolve(file.getKey());
			if (!file.getValue().equals(ConfigurationReference.read(path))) {
				if (regenerate) {
					Files.createDirectories(path.getParent());
					Files.writeString(path, file.getValue());
				}
				else {
					stale.add(file.getKey());
				}
			}
		}
		assertThat(stale)
			.as("Generated from the config keys, out of date (do not edit them by hand): %s; regenerate them with %s",
					stale, REGENERATE_COMMAND)
			.isEmpty();
	}

	@Test
	void shouldGiveEachKeyOfEachRoleOneDefault() {
		for (Role role : ConfigurationReference.ROLES) {
			for (ConfigKey key : ConfigurationReference.keys(role).keys()) {
				if (!key.isIgnored()) {
					assertThat(this.reference.defaultOf(key, role)).as("%s of the %s", key, role).isNotBlank();
				}
			}
		}
	}

	@Test
	void shouldMapEachUsedKeyOfEachRoleToAtLeastOneProperty() {
		Set<String> names = new HashSet<>();
		for (ConfigKey key : ConfigurationReference.allKeys()) {
			assertThat(names.add(key.name())).as("%s is declared once", key).isTrue();
			assertThat(key.roles()).as(key.name()).isNotEmpty();
			assertThat(key.help()).as(key.name()).isNotBlank();
			for (Role role : key.roles()) {
				if (key.isIgnored()) {
					assertThat(key.propertyNames(role)).as(key.name()).isEmpty();
				}
				else {
					assertThat(key.propertyNames(role)).as(key.name()).isNotEmpty().noneMatch((p) -> p.contains("{"));
					for (String property : key.propertyNames(role)) {
						assertThat(this.reference.checkProperty(property)).as(key.name()).isNull();
					}
				}
			}
		}
		for (Role role : ConfigurationReference.ROLES) {
			assertThat(ConfigKeys.declaredIn(ConfigurationReference.ownKeys(role)))
				.as("%s declares only the %s's keys", ConfigurationReference.ownKeys(role).getSimpleName(), role)
				.allMatch((key) -> key.roles().equals(Set.of(role)));
		}
	}

	@Test
	void shouldWriteOnlyTheRolesOwnKeysFromTheLauncher() throws IOException {
		Map<String, String> functions = launcherFunctions();
		Map<String, Role> parts = Map.of("start_entrance", Role.ENTRANCE, "start_entrance_replica", Role.ENTRANCE,
				"start_box", Role.BOX, "start_publisher", Role.PUBLISHER);
		for (Map.Entry<String, Role> part : parts.entrySet()) {
			Set<String> written = keysWritten(part.getKey(), functions, new HashSet<>());
			assertThat(written).as("keys ./dandelion's %s writes", part.getKey()).isNotEmpty();
			for (String key : written) {
				assertThat(ConfigKeys.catalogue().get(key)).as("%s written by ./dandelion's %s", key, part.getKey())
					.isNotNull()
					.contains(part.getValue());
			}
		}
	}

	/**
	 * The keys a function of the launcher writes with printf, itself or through the
	 * functions it calls.
	 */
	private static Set<String> keysWritten(String function, Map<String, String> functions, Set<String> seen) {
		Set<String> written = new TreeSet<>();
		if (!seen.add(function)) {
			return written;
		}
		for (String line : functions.get(function).split("\n")) {
			if (line.strip().startsWith("printf '")) {
				Matcher matcher = LAUNCHER_KEY.matcher(line);
				while (matcher.find()) {
					written.add(matcher.group(1));
				}
			}
			else if (functions.containsKey(line.strip().split("\\s+")[0])) {
				// A call, with or without arguments
				written.addAll(keysWritten(line.strip().split("\\s+")[0], functions, seen));
			}
		}
		return written;
	}

	/**
	 * The launcher's functions written as {@code name() {} ... {@code }}, name to body.
	 */
	private static Map<String, String> launcherFunctions() throws IOException {
		Map<String, String> functions = new HashMap<>();
		String name = null;
		StringBuilder body = new StringBuilder();
		for (String line : Files.readAllLines(ConfigurationReference.ROOT.resolve("dandelion"))) {
			Matcher start = LAUNCHER_FUNCTION.matcher(line);
			if (name == null && start.matches()) {
				name = start.group(1);
				body.setLength(0);
			}
			else if (name != null && line.equals("}")) {
				functions.put(name, body.toString());
				name = null;
			}
			else if (name != null) {
				body.append(line).append('\n');
			}
		}
		return functions;
	}

}
