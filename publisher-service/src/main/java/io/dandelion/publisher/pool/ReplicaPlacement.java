package io.dandelion.publisher.pool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.support.geo.GreatCircle;

/**
 * Which boxes take a file's missing replicas: for each audience region, largest first,
 * that no holder or chosen box is within {@link #COVERED_KM} of, the nearest box; then
 * one box per network not yet holding the file, best first; then the best left. Never two
 * boxes of one network while a box of another is there to take the file.
 *
 * @param <B> what a box is to the caller
 */
final class ReplicaPlacement<B> {

	/**
	 * An audience region counts as served by a box within this distance: a file gets no
	 * second replica near it before every other large region has one.
	 */
	static final double COVERED_KM = 500;

	private final Function<B, String> network;

	private final Function<B, GeoLocation> location;

	/**
	 * A placement reading boxes with the given functions.
	 * @param network a box's network ({@link BoxCandidate#network()})
	 * @param location where a box is, {@code null} when unknown
	 */
	ReplicaPlacement(Function<B, String> network, Function<B, GeoLocation> location) {
		this.network = network;
		this.location = location;
	}

	/**
	 * Chooses boxes for a file.
	 * @param ready the boxes that may take it, best first
	 * @param count how many are wanted
	 * @param holders the boxes that hold it already
	 * @param regions where the viewers are, largest share first
	 * @return up to {@code count} distinct boxes of {@code ready}
	 */
	List<B> choose(List<B> ready, int count, Collection<B> holders, List<AudienceShare> regions) {
		Set<String> networks = new HashSet<>();
		List<GeoLocation> placed = new ArrayList<>();
		for (B holder : holders) {
			networks.add(this.network.apply(holder));
			placed.add(this.location.apply(holder));
		}
		List<B> chosen = new ArrayList<>();
		for (AudienceShare region : regions) {
			if (chosen.size() >= count) {
				break;
			}
			GeoLocation place = region.location();
			if (placed.stream().anyMatch((box) -> isWithin(box, place))) {
				continue;
			}
			ready.stream()
				.filter((box) -> !chosen.contains(box) && !networks.contains(this.network.apply(box))
						&& hasCoordinates(this.location.apply(box)))
				.min(Comparator.comparingDouble((B box) -> GreatCircle.kilometres(this.location.apply(box), place)))
				.ifPresent((nearest) -> {
					chosen.add(nearest);
					networks.add(this.network.apply(nearest));
					placed.add(this.location.apply(nearest));
				});
		}
		for (B box : ready) {
			if (chosen.size() < count && !chosen.contains(box) && networks.add(this.network.apply(box))) {
				chosen.add(box);
			}
		}
		for (B box : ready) {
			if (chosen.size() < count && !chosen.contains(box)) {
				chosen.add(box);
			}
		}
		return chosen;
	}

	private static boolean isWithin(GeoLocation box, GeoLocation place) {
		return hasCoordinates(box) && GreatCircle.kilometres(box, place) <= COVERED_KM;
	}

	private static boolean hasCoordinates(GeoLocation location) {
		return location != null && location.hasCoordinates();
	}

}
