package io.dandelion.publisher.locate;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.publisher.locate.FileLocator.LiveReplica;
import io.dandelion.publisher.pool.BoxCandidate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Viewers spread over equally near replicas in proportion to their headroom, and never go
 * far while a near replica is live. (Sorting by distance alone sent 1,994 of 2,000
 * viewers to one of two boxes in the same city.)
 */
class ReplicaOrderTests {

	private static final int VIEWERS = 2_000;

	private static final GeoLocation TOKYO = place(35.6762, 139.6503);

	private static final GeoLocation YOKOHAMA = place(35.4437, 139.6380);

	private static final GeoLocation FRANKFURT = place(50.1109, 8.6821);

	private final ReplicaOrder order = new ReplicaOrder(new SplittableRandom(7));

	@Test
	void shouldSpreadViewersEvenlyOverEquallyNearReplicasWithEqualHeadroom() {
		LiveReplica first = replica(TOKYO, 0.2);
		LiveReplica second = replica(TOKYO, 0.2);
		Map<LiveReplica, Integer> firsts = firsts(List.of(first, second), TOKYO);
		assertThat(firsts.get(first)).isBetween(900, 1100);
		assertThat(firsts.get(second)).isBetween(900, 1100);
	}

	@Test
	void shouldSendViewersInProportionToHeadroom() {
		// Headroom 0.8 against 0.2: four in five to the first
		LiveReplica roomy = replica(TOKYO, 0.2);
		LiveReplica busy = replica(YOKOHAMA, 0.8);
		Map<LiveReplica, Integer> firsts = firsts(List.of(busy, roomy), TOKYO);
		assertThat(firsts.get(roomy)).isBetween(1500, 1700);
		// A box with no headroom left keeps a small share
		LiveReplica full = replica(TOKYO, 1.0);
		assertThat(firsts(List.of(full, roomy), TOKYO).getOrDefault(full, 0)).isBetween(50, 250);
	}

	@Test
	void shouldNeverOfferAFarReplicaBeforeANearOne() {
		LiveReplica near = replica(TOKYO, 0.99);
		LiveReplica far = replica(FRANKFURT, 0.0);
		for (int i = 0; i < VIEWERS; i++) {
			assertThat(this.order.order(List.of(far, near), TOKYO)).containsExactly(near, far);
		}
		// Farther ones follow by distance
		LiveReplica nearer = replica(YOKOHAMA, 0.5);
		assertThat(this.order.order(List.of(far, near, nearer), FRANKFURT).get(0)).isEqualTo(far);
	}

	@Test
	void shouldDrawAmongAllWhenTheViewerCannotBePlaced() {
		LiveReplica tokyo = replica(TOKYO, 0.2);
		LiveReplica frankfurt = replica(FRANKFURT, 0.2);
		Map<LiveReplica, Integer> firsts = firsts(List.of(tokyo, frankfurt), null);
		assertThat(firsts.get(tokyo)).isBetween(900, 1100);
		assertThat(this.order.order(List.of(), TOKYO)).isEmpty();
		assertThat(this.order.order(List.of(tokyo), null)).containsExactly(tokyo);
	}

	private Map<LiveReplica, Integer> firsts(List<LiveReplica> replicas, GeoLocation viewer) {
		Map<LiveReplica, Integer> firsts = new HashMap<>();
		for (int i = 0; i < VIEWERS; i++) {
			List<LiveReplica> ordered = this.order.order(replicas, viewer);
			assertThat(ordered).containsExactlyInAnyOrderElementsOf(replicas);
			firsts.merge(ordered.get(0), 1, Integer::sum);
		}
		return firsts;
	}

	private static LiveReplica replica(GeoLocation place, double load) {
		String id = NodeId.random(Role.BOX).value();
		BoxCandidate box = new BoxCandidate(id, "127.0.2.10",
				URI.create("ws://127.0.2.10:7070/dandelion/" + id + "/ws/"), 7072, "http", place, 0.5, load, Map.of(),
				null, null);
		return new LiveReplica(box, Instant.EPOCH);
	}

	private static GeoLocation place(double latitude, double longitude) {
		return new GeoLocation("127.0.2.10", null, "JP", null, null, null, latitude, longitude);
	}

}
