package io.dandelion.entrance.system;

import java.nio.file.Path;
import java.util.Map;

import io.dandelion.entrance.EntranceServiceApplication;
import io.dandelion.protocol.config.ConfigFile;
import io.dandelion.protocol.identity.Role;
import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the original's {@code entrance-config.yaml} (or {@code --config=PATH}) through
 * {@link ConfigFile} and adds it as a property source below the command line, system
 * properties and environment, above {@code application.yml}.
 */
public class ConfigFileEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private final Log logger;

	public ConfigFileEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ConfigFileEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!isThisService(application)) {
			// Another service's application in the same JVM (integration tests start
			// several).
			return;
		}
		ConfigFile file = ConfigFile.load(Role.ENTRANCE, environment.getProperty(ConfigFile.OPTION), Path.of(""),
				System.getenv());
		file.notices().forEach(this.logger::info);
		file.warnings().forEach(this.logger::warn);
		environment.getPropertySources()
			.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource("dandelionConfigFile", Map.copyOf(file.flatProperties())));
	}

	/**
	 * Whether an application is this service's: the service itself, or one of its tools
	 * (a source in its package).
	 */
	private static boolean isThisService(SpringApplication application) {
		String servicePackage = EntranceServiceApplication.class.getPackageName() + ".";
		return application.getAllSources()
			.stream()
			.anyMatch((source) -> source instanceof Class<?> type
					&& (type.getPackageName() + ".").startsWith(servicePackage));
	}

}
