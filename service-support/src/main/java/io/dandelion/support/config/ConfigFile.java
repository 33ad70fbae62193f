package io.dandelion.support.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import io.dandelion.protocol.identity.Role;

/**
 * The original's upper-case configuration file, read for one role and turned into Spring
 * properties.
 * <p>
 * The file is {@code entrance-config.yaml} for the entrance and {@code config.yaml} for
 * box and publisher, taken from the working directory or from the path given by
 * {@code --config=PATH}. A missing explicit file is an error; no file in the working
 * directory means built-in defaults. An environment variable {@code DANDELION_<KEY>}
 * (e.g. {@code DANDELION_REDIS_HOST}) overrides one key of the file; the prefix avoids
 * Docker link variables such as {@code REDIS_PORT=tcp://...}. Each key is described by a
 * {@link ConfigKey}; {@link ConfigKeys} gathers those of one role.
 *
 * @param source the file read, {@code null} when built-in defaults are used
 * @param properties Spring property name to value (a {@code String}, or a
 * {@code List<String>} for lists), plus {@link #SOURCE_PROPERTY} when a file was read
 * @param notices information for the log: file used, ignored keys, environment overrides
 * @param warnings problems worth a warning that do not stop start-up, e.g. unknown keys
 */
public record ConfigFile(Path source, Map<String, Object> properties, List<String> notices, List<String> warnings) {

	/** The command-line option naming the file: {@code --config=PATH}. */
	public static final String OPTION = "config";

	/** Prefix of the environment variables that override single keys. */
	public static final String ENVIRONMENT_PREFIX = "DANDELION_";

	/** Property holding the absolute path of the file read, for the start-up log. */
	public static final String SOURCE_PROPERTY = "dandelion.config-file";

	public ConfigFile {
		Objects.requireNonNull(properties, "properties");
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
		notices = List.copyOf(notices);
		warnings = List.copyOf(warnings);
	}

	/**
	 * The name of the file a role looks for in its working directory.
	 * @param role the role
	 * @return {@code entrance-config.yaml} or {@code config.yaml}
	 */
	public static String fileName(Role role) {
		return (role == Role.ENTRANCE) ? "entrance-config.yaml" : "config.yaml";
	}

	/**
	 * Reads the configuration of a role.
	 * @param keys the keys of the role that reads the file
	 * @param explicitPath the value of {@code --config}, or {@code null}; relative to the
	 * working directory
	 * @param workingDirectory where to look for the default file
	 * @param environment the environment variables, for {@code DANDELION_<KEY>} overrides
	 * @return the properties and what to log about them
	 * @throws ConfigFileException when the file is missing (explicit path only),
	 * unreadable, not a YAML mapping, or holds a bad value, or an override variable holds
	 * a bad value
	 */
	public static ConfigFile load(ConfigKeys keys, String explicitPath, Path workingDirectory,
			Map<String, String> environment) {
		Objects.requireNonNull(keys, "keys");
		Objects.requireNonNull(workingDirectory, "workingDirectory");
		Reading reading = new Reading(keys);
		Path file = locate(keys.role(), explicitPath, workingDirectory.toAbsolutePath(), reading);
		if (file != null) {
			reading.readFile(file);
		}
		reading.readEnvironment((environment != null) ? environment : Map.of());
		if (file != null) {
			reading.properties.put(SOURCE_PROPERTY, file.toString());
		}
		return new ConfigFile(file, reading.properties, reading.notices, reading.warnings);
	}

	/**
	 * The properties as a Spring property source should hold them: each list as indexed
	 * entries {@code name[0]}, {@code name[1]}, ... (so its elements convert to
	 * {@code URI} and the like, and commas inside them survive), an empty list as an
	 * empty string.
	 * @return property name to text
	 */
	public Map<String, String> flatProperties() {
		Map<String, String> flat = new LinkedHashMap<>();
		this.properties.forEach((name, value) -> {
			if (value instanceof List<?> list) {
				if (list.isEmpty()) {
					flat.put(name, "");
				}
				for (int i = 0; i < list.size(); i++) {
					flat.put(name + "[" + i + "]", String.valueOf(list.get(i)));
				}
			}
			else {
				flat.put(name, String.valueOf(value));
			}
		});
		return Collections.unmodifiableMap(flat);
	}

	private static Path locate(Role role, String explicitPath, Path workingDirectory, Reading reading) {
		if (explicitPath != null) {
			Path file = workingDirectory.resolve(explicitPath).toAbsolutePath().normalize();
			if (!Files.exists(file)) {
				throw new ConfigFileException("Configuration file " + file + " given by --" + OPTION + "="
						+ explicitPath + " does not exist");
			}
			if (!Files.isRegularFile(file)) {
				throw new ConfigFileException("Configuration file " + file + " given by --" + OPTION + "="
						+ explicitPath + " is not a regular file");
			}
			return file;
		}
		Path file = workingDirectory.resolve(fileName(role)).normalize();
		if (Files.isRegularFile(file)) {
			return file;
		}
		reading.notices.add("No " + fileName(role) + " in " + workingDirectory + ": using built-in defaults (pass --"
				+ OPTION + "=PATH to read another file)");
		return null;
	}

	/**
	 * The state of one {@link #load}: properties so far and messages.
	 */
	private static final class Reading {

		private final Role role;

		private final ConfigKeys keys;

		private final Map<String, Object> properties = new LinkedHashMap<>();

		private final List<String> notices = new ArrayList<>();

		private final List<String> warnings = new ArrayList<>();

		private Reading(ConfigKeys keys) {
			this.role = keys.role();
			this.keys = keys;
		}

		private String roleName() {
			return this.role.name().toLowerCase(Locale.ROOT);
		}

		void readFile(Path file) {
			MappingNode mapping = parse(file);
			Map<String, Integer> seen = new HashMap<>();
			TreeSet<String> otherRoles = new TreeSet<>();
			int used = 0;
			for (NodeTuple tuple : (mapping != null) ? mapping.getValue() : List.<NodeTuple>of()) {
				Node keyNode = tuple.getKeyNode();
				int line = line(keyNode);
				if (!(keyNode instanceof ScalarNode scalarKey)) {
					throw new ConfigFileException("Invalid key in " + file + " line " + line
							+ ": keys must be plain upper-case names such as REDIS_HOST");
				}
				String name = scalarKey.getValue();
				// A key of another role is not on this service's classpath: only its name
				// is
				ConfigKey key = this.keys.find(name);
				boolean otherRolesKey = key == null && this.keys.isOtherRolesKey(name);
				if (key == null && !otherRolesKey) {
					this.warnings.add(
							"Unknown key " + name + " in " + file + " line " + line + " is ignored" + suggestion(name));
					continue;
				}
				Integer previous = seen.putIfAbsent(name, line);
				if (previous != null) {
					throw new ConfigFileException(
							"Key " + name + " appears twice in " + file + " (lines " + previous + " and " + line + ")");
				}
				if (otherRolesKey || !key.isReadBy(this.role) && !key.isIgnored()) {
					otherRoles.add(name);
				}
				else if (key.isIgnored()) {
					this.notices
						.add("Key " + name + " in " + file + " line " + line + " is ignored: " + key.ignoredBecause());
				}
				else if (set(key, tuple.getValueNode(), file)) {
					used++;
				}
			}
			this.notices.add(0, "Read " + used + " setting(s) for the " + roleName() + " from " + file);
			if (!otherRoles.isEmpty()) {
				this.notices.add("Keys of other roles in " + file + ", not read by the " + roleName() + ": "
						+ String.join(", ", otherRoles));
			}
		}

		private MappingNode parse(Path file) {
			Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
			Node root;
			try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				root = yaml.compose(reader);
			}
			catch (IOException ex) {
				throw new ConfigFileException("Cannot read configuration file " + file + ": " + ex.getMessage(), ex);
			}
			catch (YAMLException ex) {
				throw new ConfigFileException("Configuration file " + file + " is not valid YAML: " + ex.getMessage(),
						ex);
			}
			if (root == null) {
				this.notices.add("Configuration file " + file + " is empty: using built-in defaults");
				return null;
			}
			if (!(root instanceof MappingNode mapping)) {
				throw new ConfigFileException("Configuration file " + file + " line " + line(root)
						+ " must be a YAML mapping of KEY: value lines, not a " + kind(root));
			}
			return mapping;
		}

		/**
		 * Sets the properties of a key from its YAML value; returns whether something was
		 * set.
		 */
		private boolean set(ConfigKey key, Node value, Path file) {
			String where = " in " + file + " line ";
			if (value instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag())) {
				this.notices.add("Key " + key + where + line(value) + " has no value: using the default");
				return false;
			}
			ValueType type = key.type();
			if (type.isList() && value instanceof SequenceNode sequence) {
				List<String> items = new ArrayList<>();
				for (Node item : sequence.getValue()) {
					if (!(item instanceof ScalarNode scalarItem)) {
						throw invalid(key, where + line(item), "a " + kind(item), type.element().expected());
					}
					items.add(convertScalar(key, type.element(), scalarItem.getValue(), where + line(item)));
				}
				put(key, items);
				return true;
			}
			if (!(value instanceof ScalarNode scalar)) {
				throw invalid(key, where + line(value), "a " + kind(value), type.expected());
			}
			put(key, convert(key, type, scalar.getValue(), where + line(value)));
			return true;
		}

		void readEnvironment(Map<String, String> environment) {
			for (ConfigKey key : this.keys.keys()) {
				String variable = key.environmentVariable();
				String text = environment.get(variable);
				if (text == null || !key.isReadBy(this.role)) {
					continue;
				}
				if (key.isIgnored()) {
					this.notices.add("Environment variable " + variable + " is ignored: " + key.ignoredBecause());
					continue;
				}
				put(key, convert(key, key.type(), text, " in environment variable " + variable));
				this.notices.add(key + " is set by environment variable " + variable);
			}
		}

		private Object convert(ConfigKey key, ValueType type, String text, String where) {
			if (type.isList()) {
				List<String> items = new ArrayList<>();
				for (String item : ValueType.split(text)) {
					items.add(convertScalar(key, type.element(), item, where));
				}
				return items;
			}
			return convertScalar(key, type, text, where);
		}

		private static String convertScalar(ConfigKey key, ValueType type, String text, String where) {
			String converted = type.convert(text);
			if (converted == null) {
				throw invalid(key, where, "'" + text + "'", type.expected());
			}
			return converted;
		}

		private void put(ConfigKey key, Object value) {
			for (String property : key.propertyNames(this.role)) {
				this.properties.put(property, value);
			}
		}

		private static ConfigFileException invalid(ConfigKey key, String where, String shown, String expected) {
			return new ConfigFileException("Invalid value for " + key + where + ": " + shown + " is not " + expected);
		}

		private String suggestion(String name) {
			String key = this.keys.suggestion(name);
			return (key != null) ? " (did you mean " + key + "?)" : "";
		}

		private static int line(Node node) {
			return node.getStartMark().getLine() + 1;
		}

		private static String kind(Node node) {
			if (node instanceof MappingNode) {
				return "mapping";
			}
			return (node instanceof SequenceNode) ? "list" : "single value";
		}

	}

}
