package io.dandelion.agent.system;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Box settings for unit tests, bound the way the application binds them, so that every
 * setting a test does not name has its real default.
 */
public final class TestBoxProperties {

	private TestBoxProperties() {
	}

	/**
	 * The settings with the given properties, e.g. {@code box.base-directory}.
	 * @param properties property names (with the {@code box.} prefix) and values
	 * @return the bound settings
	 */
	public static BoxProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("box", BoxProperties.class);
	}

}
