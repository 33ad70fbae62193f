package io.dandelion.support.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.testing.TestGeoIp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Lookups against the synthetic {@code geoip/test-city.mmdb} (see its README in the
 * shared fixtures), plus one against the bundled GeoLite2 database.
 */
class GeoIpLocatorTests {

	private static GeoIpLocator locator;

	@BeforeAll
	static void openTestDatabase() {
		locator = GeoIpLocator.open(testDatabase());
	}

	@AfterAll
	static void closeTestDatabase() {
		locator.close();
	}

	static Path testDatabase() {
		return TestGeoIp.database();
	}

	@ParameterizedTest
	@CsvSource({ "127.0.0.1, TW, Taoyuan, 24.9682, 121.1953", "127.0.1.77, TW, Taipei, 25.0330, 121.5654",
			"127.0.2.10, JP, Tokyo, 35.6762, 139.6503", "127.0.3.10, DE, Frankfurt, 50.1109, 8.6821",
			"127.0.4.255, US, New York, 40.7128, -74.0060", "127.0.5.0, BR, Sao Paulo, -23.5505, -46.6333",
			"8.8.8.8, US, Mountain View, 37.386, -122.0838", "1.1.1.1, AU, Sydney, -33.8688, 151.209" })
	void shouldLocateAddressesInEachRange(String ip, String country, String city, double latitude, double longitude) {
		GeoLocation location = locator.locate(ip).orElseThrow();
		assertThat(location.ip()).isEqualTo(ip);
		assertThat(location.hostname()).isNull();
		assertThat(location.country()).isEqualTo(country);
		assertThat(location.city()).isEqualTo(city);
		assertThat(location.latitude()).isEqualTo(latitude);
		assertThat(location.longitude()).isEqualTo(longitude);
	}

	@Test
	void shouldLeaveRegionAndOrgEmptyWhenTheDatabaseHasNone() {
		GeoLocation location = locator.locate("127.0.2.10").orElseThrow();
		assertThat(location.region()).isNull();
		assertThat(location.org()).isNull();
	}

	@Test
	void shouldLocateIpv4MappedIpv6Address() {
		assertThat(locator.locate("::ffff:127.0.2.10")).map(GeoLocation::city).contains("Tokyo");
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.9.1", "9.9.9.9", "10.0.0.1", "2001:db8::1", "::1" })
	void shouldReturnEmptyWhenAddressIsNotInTheDatabase(String ip) {
		assertThat(locator.locate(ip)).isEmpty();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "localhost", "example.com", "dns.google", "one.one.one.one", "127.0.2", "127.0.2.256",
			"127.0.02.10", "1.2.3.4.5", "abc::zz", "fe80::1%eth0", "[127.0.0.1]", "12345::", ":::", " ", "8.8.8.8/24",
			"\u0661.1.1.1", "not an address" })
	void shouldReturnEmptyWithoutDnsWhenInputIsNotAnIpLiteral(String input) {
		// None of these may reach a resolver: the sandbox has none, and a lookup would
		// show up as a slow test or an UnknownHostException rather than an empty result.
		assertThat(locator.locate(input)).isEmpty();
	}

	@Test
	void shouldFailNamingThePathWhenTheConfiguredFileIsMissing(@TempDir Path directory) {
		Path missing = directory.resolve("GeoIP2-City.mmdb");
		assertThatIllegalStateException().isThrownBy(() -> GeoIpLocator.open(missing))
			.withMessageContaining(missing.toAbsolutePath().toString())
			.withMessageContaining("does not exist");
	}

	@Test
	void shouldFailNamingThePathWhenTheConfiguredFileIsCorrupt(@TempDir Path directory) throws IOException {
		Path corrupt = Files.writeString(directory.resolve("corrupt.mmdb"), "not a MaxMind database");
		assertThatIllegalStateException().isThrownBy(() -> GeoIpLocator.open(corrupt))
			.withMessageContaining(corrupt.toAbsolutePath().toString());
	}

	@Test
	void shouldFailNamingThePathWhenTheConfiguredPathIsADirectory(@TempDir Path directory) {
		assertThatIllegalStateException().isThrownBy(() -> GeoIpLocator.open(directory))
			.withMessageContaining(directory.toAbsolutePath().toString());
	}

	@Test
	void shouldOpenTheBundledDatabaseAndDeleteItsCopyWhenClosed() {
		Path copy;
		try (GeoIpLocator bundled = GeoIpLocator.open(null)) {
			copy = bundled.temporaryCopy();
			assertThat(copy).isRegularFile();
			Optional<GeoLocation> google = bundled.locate("8.8.8.8");
			assertThat(google).map(GeoLocation::country).contains("US");
			assertThat(google.orElseThrow().hasCoordinates()).isTrue();
		}
		assertThat(copy).doesNotExist();
	}

}
