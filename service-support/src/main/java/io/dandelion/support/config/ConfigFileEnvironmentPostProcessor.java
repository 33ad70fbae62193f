package io.dandelion.support.config;

import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the original's configuration file of the application's {@link ServiceRole}
 * ({@code entrance-config.yaml} for the entrance, {@code config.yaml} for a box or a
 * publisher, or {@code --config=PATH}) through {@link ConfigFile} and adds it as a
 * property source below the command line, system properties and environment, above
 * {@code application.yml}.
 */
public class ConfigFileEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/** The name of the property source holding the file's settings. */
	static final String PROPERTY_SOURCE_NAME = "dandelionConfigFile";

	private final Log logger;

	public ConfigFileEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ConfigFileEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ServiceRole role = declaredRole(application);
		if (role == null) {
			// Not a Dandelion service: a plain application in the same JVM, or a test's
			return;
		}
		ConfigFile file = ConfigFile.load(ConfigKeys.of(role.value(), role.keys()),
				environment.getProperty(ConfigFile.OPTION), Path.of(""), System.getenv());
		file.notices().forEach(this.logger::info);
		file.warnings().forEach(this.logger::warn);
		environment.getPropertySources()
			.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource(PROPERTY_SOURCE_NAME, Map.copyOf(file.flatProperties())));
	}

	/**
	 * The {@link ServiceRole} a source of the application declares, or {@code null}. One
	 * JVM may run several services (the integration tests do), so the role comes from
	 * each application, not from the classpath.
	 */
	private static ServiceRole declaredRole(SpringApplication application) {
		return application.getAllSources()
			.stream()
			.filter(Class.class::isInstance)
			.map((source) -> AnnotatedElementUtils.findMergedAnnotation((Class<?>) source, ServiceRole.class))
			.filter((declaration) -> declaration != null)
			.findFirst()
			.orElse(null);
	}

}
