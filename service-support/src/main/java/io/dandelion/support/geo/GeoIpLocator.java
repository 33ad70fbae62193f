package io.dandelion.support.geo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader.FileMode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dandelion.protocol.GeoLocation;

/**
 * Places boxes' and publishers' addresses on the map with a MaxMind-format City database,
 * so that the entrance relies on its own lookup rather than on what peers claim. Lookups
 * accept IP literals only and never resolve host names.
 */
public final class GeoIpLocator implements AutoCloseable {

	/**
	 * The classpath resource used when no database is configured: GeoLite2 City from
	 * {@code org.elasticsearch:geolite2-databases} (2019 data, CC BY-SA 4.0).
	 */
	public static final String DEFAULT_DATABASE_RESOURCE = "GeoLite2-City.mmdb";

	private static final Logger logger = LoggerFactory.getLogger(GeoIpLocator.class);

	private final DatabaseReader reader;

	private final Path temporaryCopy;

	private GeoIpLocator(DatabaseReader reader, Path temporaryCopy) {
		this.reader = reader;
		this.temporaryCopy = temporaryCopy;
	}

	/**
	 * Opens the configured database, or the bundled GeoLite2 City database when none is
	 * configured. Fails at once, naming the path, when the file is missing, unreadable or
	 * not a City database, so that a typo shows at start-up rather than as empty lookups.
	 * @param database the {@code GEOIP_DATABASE} setting; {@code null} for the bundled
	 * database
	 * @return the locator, to be closed on shutdown
	 * @throws IllegalStateException if the database cannot be opened
	 */
	public static GeoIpLocator open(Path database) {
		return (database != null) ? openFile(database) : openDefault();
	}

	/**
	 * Opens a MaxMind-format City database file, memory-mapped.
	 * @param database the file
	 * @return the locator
	 * @throws IllegalStateException if the database cannot be opened
	 */
	public static GeoIpLocator openFile(Path database) {
		if (!Files.isRegularFile(database)) {
			throw new IllegalStateException("GeoIP database " + database.toAbsolutePath() + " does not exist");
		}
		if (!Files.isReadable(database)) {
			throw new IllegalStateException("GeoIP database " + database.toAbsolutePath() + " is not readable");
		}
		GeoIpLocator locator = new GeoIpLocator(openReader(database), null);
		logger.info("Opened GeoIP database {}", database.toAbsolutePath());
		return locator;
	}

	/**
	 * Opens the bundled GeoLite2 City database. It is copied once to a temporary file and
	 * memory-mapped from there, because reading its 62 MB from the jar would put it all
	 * on the heap.
	 * @return the locator
	 * @throws IllegalStateException if the database is missing from the classpath
	 */
	public static GeoIpLocator openDefault() {
		Path copy = copyDefaultDatabase();
		try {
			GeoIpLocator locator = new GeoIpLocator(openReader(copy), copy);
			logger.info("Opened the bundled GeoIP database {} (2019 data; configure a current one for production)",
					DEFAULT_DATABASE_RESOURCE);
			return locator;
		}
		catch (RuntimeException ex) {
			deleteQuietly(copy);
			throw ex;
		}
	}

	private static Path copyDefaultDatabase() {
		ClassLoader classLoader = GeoIpLocator.class.getClassLoader();
		try (InputStream in = classLoader.getResourceAsStream(DEFAULT_DATABASE_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException("GeoIP database " + DEFAULT_DATABASE_RESOURCE
						+ " is not on the classpath (org.elasticsearch:geolite2-databases)");
			}
			Path copy = Files.createTempFile("dandelion-geolite2-city-", ".mmdb");
			// A safety net for a JVM that stops without closing the locator.
			copy.toFile().deleteOnExit();
			try {
				Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (IOException ex) {
				deleteQuietly(copy);
				throw ex;
			}
			return copy;
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"Cannot copy GeoIP database " + DEFAULT_DATABASE_RESOURCE + " to a temporary file", ex);
		}
	}

	private static DatabaseReader openReader(Path database) {
		DatabaseReader reader;
		try {
			reader = new DatabaseReader.Builder(database.toFile()).fileMode(FileMode.MEMORY_MAPPED)
				.locales(List.of("en"))
				.withCache(new CHMCache())
				.build();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException(
					"GeoIP database " + database.toAbsolutePath() + " is not a MaxMind DB file: " + ex.getMessage(),
					ex);
		}
		try {
			// A Country or ASN database opens fine but refuses city lookups: find out
			// now.
			reader.tryCity(InetAddress.getLoopbackAddress());
			return reader;
		}
		catch (IOException | GeoIp2Exception | RuntimeException ex) {
			closeQuietly(reader);
			throw new IllegalStateException("GeoIP database " + database.toAbsolutePath()
					+ " is not a City database (type " + reader.metadata().databaseType() + "): " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Looks an address up. Anything that is not an IP literal (host names included) is
	 * refused without a DNS query, and database errors are logged rather than thrown.
	 * @param ip an IPv4 or IPv6 literal; may be {@code null}
	 * @return where the address is, or empty when it is invalid or not in the database
	 */
	public Optional<GeoLocation> locate(String ip) {
		Optional<InetAddress> address = IpLiterals.parse(ip);
		if (address.isEmpty()) {
			logger.debug("Not an IP literal, not located: '{}'", ip);
			return Optional.empty();
		}
		try {
			return this.reader.tryCity(address.get()).flatMap((response) -> toLocation(ip.strip(), response));
		}
		catch (IOException | GeoIp2Exception | RuntimeException ex) {
			logger.warn("GeoIP lookup of {} failed: {}", ip, ex.getMessage());
			return Optional.empty();
		}
	}

	private static Optional<GeoLocation> toLocation(String ip, CityResponse response) {
		String country = response.country().isoCode();
		String city = response.city().name();
		String region = response.mostSpecificSubdivision().name();
		String org = response.traits().autonomousSystemOrganization();
		Location location = response.location();
		Double latitude = location.latitude();
		Double longitude = location.longitude();
		// GeoLocation wants both coordinates in range or neither.
		if (latitude == null || longitude == null || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
			latitude = null;
			longitude = null;
		}
		if (country == null && city == null && latitude == null) {
			// Records such as anycast ranges carry only a registered country: nothing to
			// rank on.
			return Optional.empty();
		}
		return Optional.of(new GeoLocation(ip, null, country, city, region, org, latitude, longitude));
	}

	/**
	 * Closes the database and deletes the temporary copy of the bundled one.
	 */
	@Override
	public void close() {
		closeQuietly(this.reader);
		if (this.temporaryCopy != null) {
			deleteQuietly(this.temporaryCopy);
		}
	}

	/* for testing */ Path temporaryCopy() {
		return this.temporaryCopy;
	}

	private static void closeQuietly(DatabaseReader reader) {
		try {
			reader.close();
		}
		catch (IOException ex) {
			logger.warn("Cannot close the GeoIP database: {}", ex.getMessage());
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// Windows keeps mapped files locked; deleteOnExit gets another chance.
			logger.warn("Cannot delete temporary GeoIP database {}: {}", file, ex.getMessage());
		}
	}

}
