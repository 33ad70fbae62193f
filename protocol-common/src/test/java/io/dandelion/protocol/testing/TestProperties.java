package io.dandelion.protocol.testing;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * A service's settings record for unit tests, bound the way the application binds it, so
 * that every setting a test does not name has its real default.
 */
public final class TestProperties {

	private TestProperties() {
	}

	/**
	 * Binds the record at the prefix from the given properties.
	 * @param <T> the settings type
	 * @param prefix e.g. {@code box}
	 * @param type the settings record
	 * @param properties full property names (with the prefix) and values
	 * @return the bound settings
	 */
	public static <T> T bind(String prefix, Class<T> type, Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
	}

}
