package io.dandelion.publisher.pool;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.GeoLocation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas near the audience: two boxes in each of the four loopback cities, each city
 * its own /24, listed best first in an order that ignores where they are.
 */
class ReplicaPlacementTests {

	private static final GeoLocation TAIPEI = place("Taipei", 25.0330, 121.5654);

	private static final GeoLocation TOKYO = place("Tokyo", 35.6762, 139.6503);

	private static final GeoLocation FRANKFURT = place("Frankfurt", 50.1109, 8.6821);

	private static final GeoLocation NEW_YORK = place("New York", 40.7128, -74.0060);

	private static final AudienceShare IN_FRANKFURT = new AudienceShare(50.5, 8.5, 0.667);

	private static final AudienceShare IN_NEW_YORK = new AudienceShare(40.5, -74.5, 0.333);

	private final ReplicaPlacement<BoxCandidate> placement = new ReplicaPlacement<>(BoxCandidate::network,
			BoxCandidate::location);

	private final List<BoxCandidate> bestFirst = List.of(box("127.0.1.10", TAIPEI), box("127.0.1.11", TAIPEI),
			box("127.0.2.10", TOKYO), box("127.0.2.11", TOKYO), box("127.0.4.10", NEW_YORK),
			box("127.0.4.11", NEW_YORK), box("127.0.3.10", FRANKFURT), box("127.0.3.11", FRANKFURT));

	@Test
	void shouldPutOneReplicaNearEachRegionOfTheAudienceLargestFirst() {
		List<BoxCandidate> chosen = this.placement.choose(this.bestFirst, 2, List.of(),
				List.of(IN_FRANKFURT, IN_NEW_YORK));
		assertThat(chosen).extracting((box) -> box.location().city()).containsExactly("Frankfurt", "New York");
	}

	@Test
	void shouldFillUpByRankOnOtherNetworksOnceEveryRegionHasAReplica() {
		List<BoxCandidate> chosen = this.placement.choose(this.bestFirst, 3, List.of(), List.of(IN_FRANKFURT));
		assertThat(chosen).extracting((box) -> box.location().city()).containsExactly("Frankfurt", "Taipei", "Tokyo");
	}

	@Test
	void shouldSkipARegionAHolderAlreadyServes() {
		// A repair: the Frankfurt copy survived, the New York one was lost
		BoxCandidate holder = this.bestFirst.get(6);
		List<BoxCandidate> chosen = this.placement.choose(this.bestFirst.subList(0, 6), 1, List.of(holder),
				List.of(IN_FRANKFURT, IN_NEW_YORK));
		assertThat(chosen).extracting((box) -> box.location().city()).containsExactly("New York");
	}

	@Test
	void shouldChooseByRankAndNetworkWithoutAnAudience() {
		List<BoxCandidate> chosen = this.placement.choose(this.bestFirst, 3, List.of(), List.of());
		assertThat(chosen).extracting(BoxCandidate::ip).containsExactly("127.0.1.10", "127.0.2.10", "127.0.4.10");
	}

	@Test
	void shouldTakeASecondBoxOfANetworkOnlyWhenNoOtherNetworkIsLeft() {
		List<BoxCandidate> frankfurtOnly = this.bestFirst.subList(6, 8);
		List<BoxCandidate> chosen = this.placement.choose(frankfurtOnly, 2, List.of(),
				List.of(IN_FRANKFURT, IN_NEW_YORK));
		assertThat(chosen).containsExactlyElementsOf(frankfurtOnly);
	}

	@Test
	void shouldPlaceBoxesGeoIpCannotPlaceByRankAlone() {
		BoxCandidate unplaced = box("203.0.113.7", null);
		List<BoxCandidate> chosen = this.placement.choose(List.of(unplaced, this.bestFirst.get(4)), 2, List.of(),
				List.of(IN_FRANKFURT));
		assertThat(chosen).extracting(BoxCandidate::ip).containsExactly("127.0.4.10", "203.0.113.7");
	}

	private static BoxCandidate box(String ip, GeoLocation place) {
		String id = "box-" + ip.replace('.', '0');
		GeoLocation located = (place != null)
				? new GeoLocation(ip, null, null, place.city(), null, null, place.latitude(), place.longitude()) : null;
		return new BoxCandidate(id, ip, URI.create("ws://" + ip + ":7071/dandelion/" + id + "/ws/"), 7072, "http",
				located, 0.5, 0.5, Map.of(), null, null);
	}

	private static GeoLocation place(String city, double latitude, double longitude) {
		return new GeoLocation(null, null, null, city, null, null, latitude, longitude);
	}

}
