package io.dandelion.entrance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestGeoIp;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An entrance under test, as a JUnit extension of its test class: it has an ID of its
 * own, written to its own base directory before the application starts, so that its Redis
 * keys ({@code {entrance-…}:…}) are apart from every other test's; it is placed with the
 * small test GeoIP database; its keys are deleted from the shared test Redis once the
 * class has run. <pre class="code">
 * &#064;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * &#064;WithTestRedis
 * class SearchTests {
 *
 * 	&#064;RegisterExtension
 * 	static final TestEntrance entrance = new TestEntrance();
 * </pre> The application context of a class with a static {@code TestEntrance} field gets
 * that entrance's settings from {@link TestEntranceContextCustomizerFactory}, ahead of
 * the class's own {@code properties}. A class whose entrance uses a Redis of its own
 * keeps the field without {@link RegisterExtension @RegisterExtension}: nothing of it is
 * on the shared Redis.
 */
public final class TestEntrance implements AfterAllCallback {

	private final NodeId id = NodeId.random(Role.ENTRANCE);

	private final Path baseDirectory = Path.of("target", "test-entrance-" + UUID.randomUUID());

	/**
	 * Writes the ID file and gives the settings that point the application at it and at
	 * the test GeoIP database.
	 * @return the settings, by key
	 */
	Map<String, Object> properties() {
		try {
			Files.createDirectories(this.baseDirectory);
			Files.writeString(this.baseDirectory.resolve(Role.ENTRANCE.idFileName()), this.id.value(),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Map.of("entrance.base-directory", this.baseDirectory.toString(), "entrance.geoip-database",
				TestGeoIp.database().toString());
	}

	/**
	 * The entrance's ID.
	 * @return the ID
	 */
	public NodeId id() {
		return this.id;
	}

	/**
	 * What every Redis key of this entrance starts with, in the layout the tests run in.
	 * @return the prefix, e.g. {@code entrance-3f2a…} or {@code {entrance-3f2a…}}
	 */
	public String keyPrefix() {
		return TestRedis.keys(this.id.value()).prefix();
	}

	/** Deletes this entrance's keys (and only those) from the shared test Redis. */
	public void deleteKeys() {
		// In the layout the tests run in: "{entrance-…}" alone
		// missed every key of the original layout
		TestRedis.deleteKeysWithPrefix(keyPrefix());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		deleteKeys();
	}

}
