package io.dandelion.entrance.ranking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;

/**
 * Boxes, places and times shared by the ranking tests. The places are those of the
 * loopback ranges in {@code geoip/test-city.mmdb}.
 */
final class RankingFixtures {

	static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	/** The expiry window: boxes heartbeat well within it. */
	static final Duration WINDOW = Duration.ofSeconds(60);

	static final GeoLocation TAOYUAN = place("127.0.0.10", "TW", "Taoyuan", 24.9682, 121.1953);

	static final GeoLocation TAIPEI = place("127.0.1.10", "TW", "Taipei", 25.0330, 121.5654);

	static final GeoLocation TOKYO = place("127.0.2.10", "JP", "Tokyo", 35.6762, 139.6503);

	static final GeoLocation FRANKFURT = place("127.0.3.10", "DE", "Frankfurt", 50.1109, 8.6821);

	static final GeoLocation NEW_YORK = place("127.0.4.10", "US", "New York", 40.7128, -74.0060);

	static final GeoLocation SAO_PAULO = place("127.0.5.10", "BR", "Sao Paulo", -23.5505, -46.6333);

	/** A healthy box: mostly idle, half its quota free, a fifth of its uplink in use. */
	static final BoxMetrics TYPICAL = metrics(80.0, 100.0, 50.0, 500L, 1000L, 100.0, 2_500_000L);

	private RankingFixtures() {
	}

	static GeoLocation place(String ip, String country, String city, double latitude, double longitude) {
		return new GeoLocation(ip, null, country, city, null, null, latitude, longitude);
	}

	static BoxMetrics metrics(Double cpuIdle, Double diskTotalGib, Double diskAvailableGib, Long storeUsedBytes,
			Long storeMaxBytes, Double uplinkMbps, Long servedBytesPerSecond) {
		return new BoxMetrics(null, null, null, null, null, cpuIdle, null, null, null, null, null, null, null, null,
				diskTotalGib, diskAvailableGib, uplinkMbps, servedBytesPerSecond, null, null, storeUsedBytes,
				storeMaxBytes);
	}

	static String boxId(int number) {
		return String.format("box-%032x", number);
	}

	/**
	 * A box at an address, placed where the entrance's lookup of that address says: the
	 * place's coordinates, with the box's own address as the one looked up.
	 */
	static ExchangeRequest box(int number, String ip, GeoLocation place, BoxMetrics metrics) {
		GeoLocation geoip = (place != null) ? new GeoLocation(ip, null, place.country(), place.city(), place.region(),
				place.org(), place.latitude(), place.longitude()) : null;
		return ExchangeRequest
			.of(boxId(number), ip, 7070, "wss://" + ip + ":7070/dandelion/" + boxId(number) + "/ws/", metrics)
			.withGeoip(geoip);
	}

	/** A box seen ten seconds ago, in a window of a minute. */
	static Candidate candidate(ExchangeRequest box) {
		return Candidate.of(box, NOW.minusSeconds(10), NOW.minusSeconds(10).plus(WINDOW));
	}

	/** A typical box at a place, advertising the place's address. */
	static Candidate at(int number, GeoLocation place) {
		return candidate(box(number, place.ip(), place, TYPICAL));
	}

}
