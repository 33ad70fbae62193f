package io.dandelion.support.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.dandelion.protocol.identity.Role;

/**
 * One key of the original's upper-case configuration file: the roles that read it, its
 * value type, the Spring properties it sets and what it means. Each service declares its
 * own keys as constants of a class beside its properties record ({@code BoxConfigKeys},
 * {@code EntranceConfigKeys}, {@code PublisherConfigKeys}); {@link SharedConfigKeys}
 * holds the keys several roles read and the original's keys we ignore.
 * {@code docs/configuration-reference.md} and {@code config/*.yaml.example} are generated
 * from them (network-tests' {@code ConfigurationReferenceTests}).
 *
 * @param name the key as written in the file, e.g. {@code REDIS_HOST}
 * @param roles the roles that read the key (for an ignored key: the roles the original
 * read it in)
 * @param type the type of the value, {@code null} for an ignored key
 * @param properties the Spring properties the key sets; {@code {role}} stands for the
 * reading role's name ({@code box}, {@code entrance}, {@code publisher})
 * @param help what the key means, for the generated documentation; a line break starts a
 * new line there
 * @param defaultValue the default as a user would write it, only for a default that no
 * properties record's {@code @DefaultValue} nor the service's {@code application.yml}
 * holds: {@code none}, {@code empty}, or one derived from other keys; {@code null}
 * otherwise
 * @param example a value the example file shows, commented out, instead of the default;
 * {@code null} for none
 * @param ignoredBecause why the key is accepted but ignored, {@code null} for a key in
 * use
 */
public record ConfigKey(String name, Set<Role> roles, ValueType type, List<String> properties, String help,
		String defaultValue, String example, String ignoredBecause) {

	/** Every role: box, entrance and publisher. */
	public static final Set<Role> ALL_ROLES = Set.copyOf(EnumSet.allOf(Role.class));

	public ConfigKey {
		Objects.requireNonNull(name, "name");
		roles = Set.copyOf(roles);
		properties = List.copyOf(properties);
		Objects.requireNonNull(help, "help");
	}

	/**
	 * A key read by one role.
	 * @param role the role reading it
	 * @param name the key as written in the file
	 * @param type the type of its value
	 * @param help what it means
	 * @param properties the Spring properties it sets
	 * @return the key
	 */
	public static ConfigKey of(Role role, String name, ValueType type, String help, String... properties) {
		return of(Set.of(role), name, type, help, properties);
	}

	/**
	 * A key read by several roles.
	 * @param roles the roles reading it
	 * @param name the key as written in the file
	 * @param type the type of its value
	 * @param help what it means
	 * @param properties the Spring properties it sets
	 * @return the key
	 */
	public static ConfigKey of(Set<Role> roles, String name, ValueType type, String help, String... properties) {
		return new ConfigKey(name, roles, Objects.requireNonNull(type, "type"), List.of(properties), help, null, null,
				null);
	}

	/**
	 * A key of the original that is accepted but ignored.
	 * @param roles the roles the original read it in
	 * @param name the key as written in the file
	 * @param reason why it is ignored
	 * @return the key
	 */
	public static ConfigKey ignored(Set<Role> roles, String name, String reason) {
		return new ConfigKey(name, roles, null, List.of(), "ignored: " + reason, null, null,
				Objects.requireNonNull(reason, "reason"));
	}

	/**
	 * This key with the default the documentation shows, for a default no properties
	 * record or {@code application.yml} holds.
	 * @param defaultValue e.g. {@code none}, {@code empty},
	 * {@code half of BOX_MAX_STORAGE}
	 * @return the key
	 */
	public ConfigKey defaultValue(String defaultValue) {
		return new ConfigKey(this.name, this.roles, this.type, this.properties, this.help, defaultValue, this.example,
				this.ignoredBecause);
	}

	/**
	 * This key with a value the example file shows, commented out.
	 * @param example the value as written in YAML
	 * @return the key
	 */
	public ConfigKey example(String example) {
		return new ConfigKey(this.name, this.roles, this.type, this.properties, this.help, this.defaultValue, example,
				this.ignoredBecause);
	}

	/**
	 * Whether the given role reads this key.
	 * @param role the role
	 * @return {@code true} when the key is one of the role's
	 */
	public boolean isReadBy(Role role) {
		return this.roles.contains(role);
	}

	/**
	 * Whether this key is accepted but ignored.
	 * @return {@code true} for keys of the original we do not use
	 */
	public boolean isIgnored() {
		return this.ignoredBecause != null;
	}

	/**
	 * The Spring properties this key sets for a role.
	 * @param role the role reading the key
	 * @return the property names, e.g. {@code [box.base-directory]}; empty when the role
	 * does not read the key
	 */
	public List<String> propertyNames(Role role) {
		if (!isReadBy(role)) {
			return List.of();
		}
		String roleName = role.name().toLowerCase(Locale.ROOT);
		return this.properties.stream().map((property) -> property.replace("{role}", roleName)).toList();
	}

	/**
	 * The name of the environment variable that overrides this key, e.g.
	 * {@code DANDELION_REDIS_HOST}.
	 * @return the variable name
	 */
	public String environmentVariable() {
		return ConfigFile.ENVIRONMENT_PREFIX + this.name;
	}

	/**
	 * The key's name, as messages show it.
	 * @return the name
	 */
	@Override
	public String toString() {
		return this.name;
	}

}
