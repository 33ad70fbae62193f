package io.dandelion.entrance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An entrance under test with an ID of its own, written to its own base directory before
 * the application starts, so that its Redis keys ({@code {entrance-…}:…}) are apart from
 * every other test's; it is placed with the small test GeoIP database.
 */
public final class TestEntrance {

	private final NodeId id = NodeId.random(Role.ENTRANCE);

	private final Path baseDirectory = Path.of("target", "test-entrance-" + UUID.randomUUID());

	/**
	 * Writes the ID file and points the application at it and at the test GeoIP database.
	 * @param registry the test's dynamic properties
	 */
	public void register(DynamicPropertyRegistry registry) {
		try {
			Files.createDirectories(this.baseDirectory);
			Files.writeString(this.baseDirectory.resolve(Role.ENTRANCE.idFileName()), this.id.value(),
					StandardCharsets.UTF_8);
			String geoip = new ClassPathResource("geoip/test-city.mmdb").getFile().getAbsolutePath();
			registry.add("entrance.base-directory", this.baseDirectory::toString);
			registry.add("entrance.geoip-database", () -> geoip);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The entrance's ID.
	 * @return the ID
	 */
	public NodeId id() {
		return this.id;
	}

	/** Deletes this entrance's keys (and only those) from the shared test Redis. */
	public void deleteKeys() {
		// In the layout the tests run in: "{entrance-…}" alone missed every key of the
		// original layout
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(this.id.value()).prefix());
	}

}
