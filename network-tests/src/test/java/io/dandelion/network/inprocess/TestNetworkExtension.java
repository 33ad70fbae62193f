package io.dandelion.network.inprocess;

import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The start and stop of {@link WithTestNetwork}: one network per test, set into the test
 * instance's {@link TestNetwork} field, closed once the test's own clean-up has run.
 */
final class TestNetworkExtension implements BeforeEachCallback, AfterEachCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(TestNetworkExtension.class);

	@Override
	public void beforeEach(ExtensionContext context) throws IllegalAccessException {
		Class<?> testClass = context.getRequiredTestClass();
		WithTestNetwork settings = AnnotationSupport.findAnnotation(testClass, WithTestNetwork.class)
			.orElseThrow(() -> new ExtensionConfigurationException(
					testClass.getName() + " is not annotated with @WithTestNetwork"));
		List<Field> fields = ReflectionSupport.findFields(testClass,
				(field) -> field.getType() == TestNetwork.class && !ModifierSupport.isStatic(field),
				HierarchyTraversalMode.TOP_DOWN);
		if (fields.size() != 1) {
			throw new ExtensionConfigurationException(testClass.getName()
					+ " must declare exactly one instance field of type TestNetwork, found " + fields.size());
		}
		TestNetwork network = TestNetwork.start(settings.trust(), settings.tlsBoxes(), settings.redisCluster(),
				settings.entranceProperties());
		context.getStore(NAMESPACE).put(TestNetwork.class, network);
		Field field = fields.get(0);
		field.setAccessible(true);
		field.set(context.getRequiredTestInstance(), network);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		TestNetwork network = context.getStore(NAMESPACE).remove(TestNetwork.class, TestNetwork.class);
		if (network != null) {
			network.close();
		}
	}

}
