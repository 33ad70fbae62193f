package io.dandelion.entrance;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ReflectionUtils;

/**
 * Gives the application context of a test class the settings of its static
 * {@link TestEntrance} field, as {@code @DynamicPropertySource} would: ahead of the
 * class's own {@code properties}, and one context per entrance. Registered in
 * {@code META-INF/spring.factories}.
 */
class TestEntranceContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		List<TestEntrance> entrances = new ArrayList<>();
		ReflectionUtils.doWithFields(testClass, (field) -> {
			ReflectionUtils.makeAccessible(field);
			entrances.add((TestEntrance) field.get(null));
		}, TestEntranceContextCustomizerFactory::isStaticTestEntrance);
		if (entrances.size() > 1) {
			throw new IllegalStateException(testClass.getName() + " has " + entrances.size()
					+ " static TestEntrance fields; an application context is one entrance");
		}
		return entrances.isEmpty() ? null : new Customizer(entrances.get(0));
	}

	private static boolean isStaticTestEntrance(Field field) {
		return Modifier.isStatic(field.getModifiers()) && field.getType() == TestEntrance.class;
	}

	/**
	 * Puts an entrance's settings first among the context's property sources.
	 *
	 * @param entrance the entrance; two customizers are equal only for the same one
	 */
	private record Customizer(TestEntrance entrance) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("testEntrance", this.entrance.properties()));
		}

	}

}
