package io.dandelion.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * The synthetic GeoIP City database of the tests ({@code geoip/test-city.mmdb}: the
 * 127.0.x.0/24 ranges in different cities, so that loopback nodes look like boxes around
 * the world). It ships in this test jar, where it is no file of its own, so it is copied
 * out once per JVM.
 */
public final class TestGeoIp {

	private static Path database;

	private TestGeoIp() {
	}

	/**
	 * The database as a file, for a setting such as {@code entrance.geoip-database}.
	 * @return the file
	 */
	public static synchronized Path database() {
		if (database == null) {
			try (InputStream in = TestGeoIp.class.getResourceAsStream("/geoip/test-city.mmdb")) {
				Path copy = Files.createTempFile("test-city", ".mmdb");
				copy.toFile().deleteOnExit();
				Files.copy(Objects.requireNonNull(in, "geoip/test-city.mmdb is not on the test classpath"), copy,
						StandardCopyOption.REPLACE_EXISTING);
				database = copy;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return database;
	}

}
