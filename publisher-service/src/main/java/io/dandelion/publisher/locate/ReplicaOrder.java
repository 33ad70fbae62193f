package io.dandelion.publisher.locate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import io.dandelion.protocol.GeoLocation;
import io.dandelion.publisher.locate.FileLocator.LiveReplica;
import io.dandelion.publisher.pool.BoxCandidate;
import io.dandelion.support.geo.GreatCircle;

/**
 * The order in which a viewer is offered a file's replicas: the near ones first, and
 * among those about as near as the nearest, a draw weighted by each box's headroom, so
 * that viewers spread over equally near boxes in proportion to what each can still serve,
 * rather than all going to whichever sorts first. Farther replicas follow, nearest first.
 */
final class ReplicaOrder {

	/** Replicas within this many kilometres of the nearest count as equally near. */
	static final double NEAR_KM = 100;

	/** ... or within this share of the nearest's distance, when that is larger. */
	static final double NEAR_SHARE = 0.25;

	/**
	 * Even a box with no headroom left keeps a small chance, as its figure may be stale.
	 */
	static final double MIN_HEADROOM = 0.05;

	private final RandomGenerator random;

	/**
	 * An order drawing with a generator.
	 * @param random the source of draws; safe for concurrent use when shared
	 */
	ReplicaOrder(RandomGenerator random) {
		this.random = random;
	}

	/**
	 * An order drawing from each thread's own generator.
	 * @return the order
	 */
	static ReplicaOrder create() {
		return new ReplicaOrder(() -> ThreadLocalRandom.current().nextLong());
	}

	/**
	 * Orders replicas for a viewer.
	 * @param replicas the live replicas
	 * @param viewer where the viewer is; {@code null} when unknown (then every replica
	 * counts as equally near)
	 * @return the replicas, best first
	 */
	List<LiveReplica> order(List<LiveReplica> replicas, GeoLocation viewer) {
		List<LiveReplica> byDistance = new ArrayList<>(replicas);
		byDistance.sort(Comparator.comparingDouble((LiveReplica replica) -> distance(viewer, replica.box())));
		if (byDistance.size() < 2) {
			return byDistance;
		}
		double nearest = distance(viewer, byDistance.get(0).box());
		double reach = (nearest == Double.MAX_VALUE) ? Double.MAX_VALUE
				: nearest + Math.max(NEAR_KM, nearest * NEAR_SHARE);
		List<Drawn> near = new ArrayList<>();
		List<LiveReplica> far = new ArrayList<>();
		for (LiveReplica replica : byDistance) {
			if (distance(viewer, replica.box()) <= reach) {
				near.add(new Drawn(replica, drawKey(headroom(replica.box()))));
			}
			else {
				far.add(replica);
			}
		}
		List<LiveReplica> ordered = new ArrayList<>(replicas.size());
		near.stream().sorted(Comparator.comparingDouble(Drawn::key)).forEach((drawn) -> ordered.add(drawn.replica()));
		ordered.addAll(far);
		return ordered;
	}

	/** What the box can still serve: 1 minus its uplink in use, as it last reported. */
	static double headroom(BoxCandidate box) {
		return Math.max(MIN_HEADROOM, 1 - box.load());
	}

	/**
	 * The Efraimidis-Spirakis key {@code -ln(u) / weight}: taking replicas in ascending
	 * key order is a draw without replacement weighted by headroom.
	 */
	private double drawKey(double weight) {
		double u = 1 - this.random.nextDouble();
		return -Math.log(u) / weight;
	}

	static double distance(GeoLocation viewer, BoxCandidate box) {
		if (viewer == null || box.location() == null || !box.location().hasCoordinates()) {
			// Unknown distances sort after known ones
			return Double.MAX_VALUE;
		}
		return GreatCircle.kilometres(viewer, box.location());
	}

	private record Drawn(LiveReplica replica, double key) {
	}

}
