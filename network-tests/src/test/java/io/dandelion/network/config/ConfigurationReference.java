package io.dandelion.network.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.dandelion.agent.config.BoxConfigKeys;
import io.dandelion.entrance.config.EntranceConfigKeys;
import io.dandelion.protocol.identity.Role;
import io.dandelion.publisher.config.PublisherConfigKeys;
import io.dandelion.support.config.ConfigFile;
import io.dandelion.support.config.ConfigKey;
import io.dandelion.support.config.ConfigKeys;
import io.dandelion.support.config.SharedConfigKeys;
import io.dandelion.support.config.ValueType;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Renders the configuration reference, the example files and service-support's key
 * catalogue from the keys of every role ({@link SharedConfigKeys} and the services'
 * {@code *ConfigKeys}). A key's default comes from exactly one place: the
 * {@code @DefaultValue} of the properties record component it sets, else the service's
 * {@code application.yml}, else the key itself.
 */
public final class ConfigurationReference {

	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	/** The roles in the order the documents list them. */
	static final List<Role> ROLES = List.of(Role.ENTRANCE, Role.BOX, Role.PUBLISHER);

	private static final int WIDTH = 100;

	private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z0-9_./:-]+");

	private final Map<String, Class<?>> records = configurationProperties();

	private final Map<Role, Properties> applicationYaml = new LinkedHashMap<>();

	ConfigurationReference() {
		for (Role role : ROLES) {
			YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
			yaml.setResources(
					new FileSystemResource(ROOT.resolve(module(role) + "/src/main/resources/application.yml")));
			this.applicationYaml.put(role, yaml.getObject());
		}
	}

	/**
	 * The class declaring the service's own keys.
	 */
	static Class<?> ownKeys(Role role) {
		return switch (role) {
			case ENTRANCE -> EntranceConfigKeys.class;
			case BOX -> BoxConfigKeys.class;
			case PUBLISHER -> PublisherConfigKeys.class;
		};
	}

	/**
	 * The keys a role reads, as the service reads them.
	 * @param role the role
	 * @return its keys
	 */
	public static ConfigKeys keys(Role role) {
		return ConfigKeys.of(role, ownKeys(role));
	}

	static String module(Role role) {
		return switch (role) {
			case ENTRANCE -> "entrance-service";
			case BOX -> "box-agent";
			case PUBLISHER -> "publisher-service";
		};
	}

	static String roleName(Role role) {
		return role.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Every key once: the shared ones, then each service's, the ignored ones last.
	 */
	static List<ConfigKey> allKeys() {
		List<ConfigKey> shared = ConfigKeys.declaredIn(SharedConfigKeys.class);
		List<ConfigKey> all = new ArrayList<>(shared.stream().filter((key) -> !key.isIgnored()).toList());
		for (Role role : ROLES) {
			all.addAll(ConfigKeys.declaredIn(ownKeys(role)));
		}
		all.addAll(shared.stream().filter(ConfigKey::isIgnored).toList());
		return all;
	}

	/**
	 * The generated files, path relative to the repository root to content.
	 */
	Map<String, String> files() {
		Map<String, String> files = new LinkedHashMap<>();
		files.put("docs/configuration-reference.md", reference());
		files.put("config/entrance-config.yaml.example", example(List.of(Role.ENTRANCE)));
		files.put("config/config.yaml.example", example(List.of(Role.BOX, Role.PUBLISHER)));
		files.put("service-support/src/main/resources/" + ConfigKeys.CATALOGUE, catalogue());
		return files;
	}

	/**
	 * The default of a key for a role as a user writes it in the file, from its one
	 * source.
	 * @throws IllegalStateException when the key has no default or two
	 */
	String defaultOf(ConfigKey key, Role role) {
		List<String> found = new ArrayList<>();
		for (String property : key.propertyNames(role)) {
			String fromRecord = recordDefault(property, key);
			if (fromRecord != null) {
				found.add("@DefaultValue of " + property + ": " + fromRecord);
				if (key.defaultValue() == null) {
					return fromRecord;
				}
			}
			String fromYaml = this.applicationYaml.get(role).getProperty(property);
			if (fromYaml != null) {
				found.add(module(role) + " application.yml " + property + ": " + fromYaml);
				if (key.defaultValue() == null) {
					return fromYaml;
				}
			}
		}
		if (key.defaultValue() != null && found.isEmpty()) {
			return key.defaultValue();
		}
		throw new IllegalStateException((key.defaultValue() != null)
				? "The default of " + key + " is written twice: in the key (" + key.defaultValue() + ") and as " + found
				: "The " + roleName(role) + "'s " + key + " has no default: give its record component a "
						+ "@DefaultValue or the key a defaultValue(...)");
	}

	/**
	 * Checks that a property of the {@code box.}, {@code dandelion.}, ... namespaces is a
	 * component of a properties record.
	 * @return {@code null} when it is, else what is wrong
	 */
	String checkProperty(String property) {
		for (Map.Entry<String, Class<?>> entry : this.records.entrySet()) {
			if (property.startsWith(entry.getKey() + ".")) {
				return (component(entry.getValue(), property.substring(entry.getKey().length() + 1)) != null) ? null
						: property + " is no component of " + entry.getValue().getName();
			}
		}
		return (property.startsWith("spring.") || property.startsWith("server.") || property.startsWith("logging."))
				? null : property + " is in no @ConfigurationProperties record";
	}

	private String recordDefault(String property, ConfigKey key) {
		for (Map.Entry<String, Class<?>> entry : this.records.entrySet()) {
			if (property.startsWith(entry.getKey() + ".")) {
				Parameter component = component(entry.getValue(), property.substring(entry.getKey().length() + 1));
				DefaultValue value = (component != null) ? component.getAnnotation(DefaultValue.class) : null;
				return (value != null) ? display(value.value(), key) : null;
			}
		}
		return null;
	}

	/**
	 * The parameter of a record's canonical constructor (where {@code @DefaultValue}
	 * sits) that a kebab-case path names, following nested records; for an entry of a map
	 * component, the map's.
	 */
	private static Parameter component(Class<?> type, String path) {
		String[] parts = path.split("\\.", 2);
		String name = camelCase(parts[0]);
		if (!type.isRecord()) {
			return null;
		}
		RecordComponent[] components = type.getRecordComponents();
		for (int i = 0; i < components.length; i++) {
			if (components[i].getName().equals(name)) {
				// A map's entries are named by their keys:
				// entrance.ranking.weights.distance
				boolean mapEntry = parts.length == 2 && Map.class.isAssignableFrom(components[i].getType())
						&& !parts[1].contains(".");
				return (parts.length == 1 || mapEntry) ? canonicalConstructor(type).getParameters()[i]
						: component(components[i].getType(), parts[1]);
			}
		}
		return null;
	}

	private static Constructor<?> canonicalConstructor(Class<?> type) {
		try {
			return type.getDeclaredConstructor(
					Stream.of(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String camelCase(String kebab) {
		StringBuilder name = new StringBuilder();
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				name.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return name.toString();
	}

	/**
	 * A {@code @DefaultValue} as the file writes it: seconds for a duration, "empty" for
	 * an empty list.
	 */
	private static String display(String[] values, ConfigKey key) {
		if (values.length == 0 || (values.length == 1 && values[0].isEmpty())) {
			return "empty";
		}
		ValueType type = key.type().isList() ? key.type().element() : key.type();
		boolean seconds = "2s".equals(type.convert("2"));
		return List.of(values).stream().map((value) -> {
			if (seconds) {
				Duration duration = DurationStyle.detectAndParse(value);
				return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
			}
			return value;
		}).collect(Collectors.joining(", "));
	}

	private static Map<String, Class<?>> configurationProperties() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		Map<String, Class<?>> records = new LinkedHashMap<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("io.dandelion")) {
			Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
			if (type.isRecord() && !prefix.isEmpty()) {
				records.put(prefix, type);
			}
		}
		return records;
	}

	private String reference() {
		StringBuilder out = new StringBuilder();
		out.append("# Configuration reference\n\n");
		out.append("<!-- Generated from the keys in the code (")
			.append(sources())
			.append(") by network-tests' ")
			.append("ConfigurationReferenceTests; do not edit: ")
			.append(ConfigurationReferenceTests.REGENERATE_COMMAND)
			.append(" -->\n\n");
		out.append("Every key of the original's upper-case configuration files that this rebuild reads, by role. ")
			.append("The entrance reads `entrance-config.yaml`, a box and a publisher both read `config.yaml` ")
			.append("(each its own keys; the other role's keys get a notice, unknown keys a warning), from the ")
			.append("working directory or from `--config=PATH`. An environment variable `")
			.append(ConfigFile.ENVIRONMENT_PREFIX)
			.append("<KEY>` overrides one key. A bad value stops the service with a message naming the key, the ")
			.append("file and the line. How the files and the variables work: [configuration.md](configuration.md); ")
			.append("commented examples: [config/config.yaml.example](../config/config.yaml.example) and ")
			.append("[config/entrance-config.yaml.example](../config/entrance-config.yaml.example).\n");
		for (Role role : ROLES) {
			out.append("\n## ")
				.append(capitalized(role))
				.append(" (`")
				.append(ConfigFile.fileName(role))
				.append("`)\n\n");
			out.append("| Key | Value | Default | Spring property | Meaning |\n");
			out.append("|---|---|---|---|---|\n");
			for (ConfigKey key : keys(role).keys()) {
				if (key.isIgnored()) {
					continue;
				}
				out.append("| `")
					.append(key.name())
					.append("` | ")
					.append(cell(key.type().expected()))
					.append(" | ")
					.append(cell(defaultOf(key, role)))
					.append(" | ")
					.append(key.propertyNames(role)
						.stream()
						.map((p) -> "`" + p + "`")
						.collect(Collectors.joining(", ")))
					.append(" | ")
					.append(cell(key.help()))
					.append(" |\n");
			}
		}
		out.append("\n## Keys of the original that are ignored\n\n");
		out.append("They are accepted with a notice in the log.\n\n");
		out.append("| Key | Read by the original's | Why it is ignored |\n");
		out.append("|---|---|---|\n");
		for (ConfigKey key : allKeys()) {
			if (key.isIgnored()) {
				out.append("| `")
					.append(key.name())
					.append("` | ")
					.append(ROLES.stream()
						.filter(key::isReadBy)
						.map(ConfigurationReference::roleName)
						.collect(Collectors.joining(", ")))
					.append(" | ")
					.append(cell(key.ignoredBecause()))
					.append(" |\n");
			}
		}
		return out.toString();
	}

	private static String sources() {
		List<String> sources = new ArrayList<>();
		sources.add(SharedConfigKeys.class.getSimpleName());
		ROLES.forEach((role) -> sources.add(ownKeys(role).getSimpleName()));
		return String.join(", ", sources);
	}

	private static String cell(String text) {
		return text.replace("\n", " ").replaceAll(" {2,}", " ").replace("|", "\\|").strip();
	}

	private static String capitalized(Role role) {
		String name = roleName(role);
		return Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

	private String example(List<Role> roles) {
		StringBuilder out = new StringBuilder();
		boolean entrance = roles.contains(Role.ENTRANCE);
		String file = ConfigFile.fileName(roles.get(0));
		String services = entrance ? "the entrance" : "the service";
		out.append("# Configuration of a Dandelion ")
			.append(roles.stream().map(ConfigurationReference::roleName).collect(Collectors.joining(" or ")))
			.append(", in the original's format (upper-case keys).\n");
		if (roles.size() > 1) {
			out.append("# Box and publisher read the same file name; each reads its own keys and lists the others in ")
				.append("a notice.\n");
		}
		out.append(
				"# Generated from the keys in the code; do not edit (docs/configuration-reference.md lists the same keys).\n");
		out.append("#\n");
		comment(out, "Copy it to " + file + " in " + (entrance ? "the entrance's" : "the service's")
				+ " working directory, or pass --config=PATH. Without a file the built-in defaults below apply. An "
				+ "environment variable " + ConfigFile.ENVIRONMENT_PREFIX + "<KEY> overrides one key, e.g. "
				+ ConfigFile.ENVIRONMENT_PREFIX + "REDIS_HOST=redis (the prefix avoids Docker's link variables such "
				+ "as REDIS_PORT=tcp://...). Spring's own variables (SPRING_DATA_REDIS_HOST, ...) and "
				+ "--spring.property=value arguments override this file as well. Unknown keys are reported with a "
				+ "warning; a bad value stops " + services + " with a message naming the key, the file and the line.");
		Set<ConfigKey> done = new LinkedHashSet<>();
		if (roles.size() > 1) {
			out.append("\n# --- Both roles ---\n");
			for (ConfigKey key : keys(roles.get(0)).keys()) {
				if (!key.isIgnored() && roles.stream().allMatch(key::isReadBy)) {
					exampleKey(out, key, roles);
					done.add(key);
				}
			}
		}
		for (Role role : roles) {
			if (roles.size() > 1) {
				out.append("\n# --- ").append(capitalized(role)).append(" ---\n");
			}
			for (ConfigKey key : keys(role).keys()) {
				if (!key.isIgnored() && done.add(key)) {
					exampleKey(out, key, List.of(role));
				}
			}
		}
		out.append("\n# Keys of the original that are accepted but ignored (a notice is logged):\n");
		for (ConfigKey key : allKeys()) {
			if (key.isIgnored() && roles.stream().anyMatch(key::isReadBy)) {
				out.append("# ").append(key.name()).append(": ").append(key.ignoredBecause()).append('\n');
			}
		}
		return out.toString();
	}

	private void exampleKey(StringBuilder out, ConfigKey key, List<Role> roles) {
		Set<String> defaults = new LinkedHashSet<>();
		roles.forEach((role) -> defaults.add(defaultOf(key, role)));
		if (defaults.size() != 1) {
			throw new IllegalStateException(key + " has different defaults for " + roles + ": " + defaults);
		}
		String defaultValue = defaults.iterator().next();
		out.append('\n');
		String help = key.help();
		if (help.contains("\n")) {
			comment(out, help);
			comment(out, "Default: " + defaultValue + ".");
		}
		else {
			comment(out, help + " Default: " + defaultValue + ".");
		}
		if (key.example() != null) {
			out.append("# ").append(key.name()).append(": ").append(key.example()).append('\n');
		}
		else {
			out.append(key.name()).append(": ").append(yaml(key, defaultValue)).append('\n');
		}
	}

	private static String yaml(ConfigKey key, String defaultValue) {
		if (defaultValue.equals("empty")) {
			return key.type().isList() ? "[]" : "\"\"";
		}
		List<String> items = key.type().isList() ? List.of(defaultValue.split(", ")) : List.of(defaultValue);
		ValueType type = key.type().isList() ? key.type().element() : key.type();
		for (String item : items) {
			if (!PLAIN_YAML.matcher(item).matches() || type.convert(item) == null) {
				throw new IllegalStateException(key + "'s default '" + defaultValue
						+ "' is no value the file can hold: give the key an example(...)");
			}
		}
		return key.type().isList() ? "[" + String.join(", ", items) + "]" : defaultValue;
	}

	/**
	 * Appends text as comment lines of at most {@link #WIDTH} characters; a line of the
	 * text that starts with a space is kept as it is.
	 */
	private static void comment(StringBuilder out, String text) {
		for (String line : text.split("\n")) {
			if (line.startsWith(" ")) {
				out.append("#").append(line).append('\n');
				continue;
			}
			StringBuilder current = new StringBuilder("#");
			for (String word : line.split(" ")) {
				if (current.length() > 1 && current.length() + 1 + word.length() > WIDTH) {
					out.append(current).append('\n');
					current = new StringBuilder("#");
				}
				current.append(' ').append(word);
			}
			out.append(current).append('\n');
		}
	}

	private static String catalogue() {
		StringBuilder out = new StringBuilder();
		out.append("# Every key of every role's configuration file, with the roles reading it (for an ignored key,\n");
		out.append("# the roles of the original that read it): ConfigFile gives a key of another role a notice, not\n");
		out.append("# an \"unknown key\" warning. Generated by network-tests' ConfigurationReferenceTests from\n");
		out.append("# SharedConfigKeys and the services' *ConfigKeys; do not edit.\n");
		for (ConfigKey key : allKeys()) {
			out.append(key.name())
				.append('=')
				.append(ROLES.stream()
					.filter(key::isReadBy)
					.map(ConfigurationReference::roleName)
					.collect(Collectors.joining(",")))
				.append('\n');
		}
		return out.toString();
	}

	static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
