package io.dandelion.support.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.dandelion.protocol.identity.Role;

/**
 * Declares which node of a Dandelion network an application is, on a source of its
 * {@code SpringApplication} (the service's application class, or the source of one of its
 * tools), and where the service declares its own configuration keys.
 * {@link ConfigFileEnvironmentPostProcessor} reads that role's configuration file with
 * those keys and the {@link SharedConfigKeys}; an application without it is left alone.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ServiceRole {

	/**
	 * The role whose configuration the application reads.
	 * @return the role
	 */
	Role value();

	/**
	 * The class declaring the service's own keys as {@code public static final ConfigKey}
	 * constants, e.g. {@code BoxConfigKeys}; by default the application reads only the
	 * shared keys.
	 * @return the class of the service's keys
	 */
	Class<?> keys() default Void.class;

}
