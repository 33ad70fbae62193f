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
 * tools). {@link ConfigFileEnvironmentPostProcessor} reads that role's configuration file
 * and keys; an application without it is left alone.
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

}
