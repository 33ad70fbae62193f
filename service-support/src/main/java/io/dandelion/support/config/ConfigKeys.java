package io.dandelion.support.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import io.dandelion.protocol.identity.Role;

/**
 * The keys one role reads from its configuration file: the {@link SharedConfigKeys} of
 * that role, the service's own (the {@code public static final ConfigKey} constants of
 * the class its {@link ServiceRole} names), and every ignored key of the original.
 * <p>
 * The keys of the other roles are not on a service's classpath; their names come from
 * {@value #CATALOGUE}, generated from every service's keys, so that a key of another role
 * gets a notice rather than an "unknown key" warning.
 *
 * @param role the role
 * @param keys the keys it reads, shared ones first, then the service's, then the ignored
 * ones
 */
public record ConfigKeys(Role role, List<ConfigKey> keys) {

	/** The resource naming every key of every role, one {@code NAME=role,role} a line. */
	public static final String CATALOGUE = "io/dandelion/support/config/config-keys.properties";

	private static volatile Map<String, Set<Role>> catalogue;

	public ConfigKeys {
		Objects.requireNonNull(role, "role");
		keys = List.copyOf(keys);
	}

	/**
	 * The keys a role reads.
	 * @param role the role
	 * @param ownKeys the class declaring the service's own keys as constants, or
	 * {@code Void.class} for the shared keys alone
	 * @return the keys
	 */
	public static ConfigKeys of(Role role, Class<?> ownKeys) {
		List<ConfigKey> keys = new ArrayList<>();
		List<ConfigKey> shared = declaredIn(SharedConfigKeys.class);
		shared.stream().filter((key) -> !key.isIgnored() && key.isReadBy(role)).forEach(keys::add);
		declaredIn(ownKeys).stream().filter((key) -> key.isReadBy(role)).forEach(keys::add);
		shared.stream().filter(ConfigKey::isIgnored).forEach(keys::add);
		return new ConfigKeys(role, keys);
	}

	/**
	 * The keys a class declares as {@code public static final ConfigKey} constants, in
	 * the order they are written.
	 * @param type the class
	 * @return its keys
	 */
	public static List<ConfigKey> declaredIn(Class<?> type) {
		List<ConfigKey> keys = new ArrayList<>();
		for (Field field : type.getDeclaredFields()) {
			int modifiers = field.getModifiers();
			if (field.getType() == ConfigKey.class && Modifier.isStatic(modifiers) && Modifier.isPublic(modifiers)
					&& Modifier.isFinal(modifiers)) {
				try {
					keys.add((ConfigKey) field.get(null));
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException("Cannot read " + field, ex);
				}
			}
		}
		return keys;
	}

	/**
	 * The key of this role, or an ignored key, with the given name.
	 * @param name the key as written in the file
	 * @return the key, or {@code null} when there is none
	 */
	public ConfigKey find(String name) {
		for (ConfigKey key : this.keys) {
			if (key.name().equals(name)) {
				return key;
			}
		}
		return null;
	}

	/**
	 * Whether the name is a key some other role reads.
	 * @param name the key as written in the file
	 * @return {@code true} for a key of another role
	 */
	public boolean isOtherRolesKey(String name) {
		Set<Role> roles = catalogue().get(name);
		return roles != null && !roles.contains(this.role);
	}

	/**
	 * A key of any role whose name is the given one once trimmed, in upper case and with
	 * underscores for hyphens.
	 * @param name the name as written in the file
	 * @return the key's name, or {@code null} when there is none
	 */
	public String suggestion(String name) {
		String normalized = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
		return (find(normalized) != null || catalogue().containsKey(normalized)) ? normalized : null;
	}

	/**
	 * Every key of every role with the roles reading it, as {@value #CATALOGUE} lists
	 * them.
	 * @return key name to roles, in file order
	 */
	public static Map<String, Set<Role>> catalogue() {
		Map<String, Set<Role>> known = catalogue;
		if (known == null) {
			known = readCatalogue();
			catalogue = known;
		}
		return known;
	}

	private static Map<String, Set<Role>> readCatalogue() {
		Map<String, Set<Role>> known = new LinkedHashMap<>();
		try (InputStream input = ConfigKeys.class.getClassLoader().getResourceAsStream(CATALOGUE)) {
			if (input == null) {
				throw new IllegalStateException("No " + CATALOGUE + " on the classpath");
			}
			Properties properties = new Properties();
			properties.load(input);
			for (String name : new TreeSet<>(properties.stringPropertyNames())) {
				Set<Role> roles = EnumSet.noneOf(Role.class);
				Arrays.stream(properties.getProperty(name).split(","))
					.map((role) -> Role.valueOf(role.strip().toUpperCase(Locale.ROOT)))
					.forEach(roles::add);
				known.put(name, Collections.unmodifiableSet(roles));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Collections.unmodifiableMap(known);
	}

}
