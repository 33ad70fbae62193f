package io.dandelion.agent.config;

import java.util.Map;

import io.dandelion.protocol.testing.TestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The box's settings that are more than a bound value: defaults computed from others, and
 * values refused at start-up.
 */
class BoxPropertiesTests {

	@Test
	void shouldGiveEachPublisherHalfTheStoreByDefault() {
		assertThat(bind(Map.of()).store().publisherQuota()).isEqualTo(DataSize.ofMegabytes(512));
		assertThat(bind(Map.of("box.store.max-storage", "3MB")).store().publisherQuota())
			.isEqualTo(DataSize.ofBytes(3 * 1024 * 1024 / 2));
	}

	@Test
	void shouldTakeTheConfiguredPublisherQuotaEvenAboveTheStoreQuota() {
		assertThat(bind(Map.of("box.store.max-storage-per-publisher", "100MB")).store().publisherQuota())
			.isEqualTo(DataSize.ofMegabytes(100));
		assertThat(bind(Map.of("box.store.max-storage", "1GB", "box.store.max-storage-per-publisher", "2GB")).store()
			.publisherQuota()).isEqualTo(DataSize.ofGigabytes(2));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "0MB", "-1MB" })
	void shouldRefuseAPublisherQuotaThatIsNotPositive(String quota) {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("box.store.max-storage-per-publisher", quota)))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("BOX_MAX_STORAGE_PER_PUBLISHER")
			.withMessageContaining("must be positive");
	}

	private static BoxProperties bind(Map<String, String> properties) {
		return TestProperties.bind("box", BoxProperties.class, properties);
	}

}
