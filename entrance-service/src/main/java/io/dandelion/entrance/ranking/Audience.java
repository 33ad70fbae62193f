package io.dandelion.entrance.ranking;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.support.geo.GreatCircle;

/**
 * Where the boxes a SEARCH picks should be near: the regions of the publisher's viewers
 * with their shares ({@code AUDIENCE}), or, while it has none, the publisher itself; or
 * nowhere known, when neither is (a listing, a publisher GeoIP cannot place).
 *
 * @param regions the places and their shares; empty when nothing is known
 * @param ofViewers whether the places are the publisher's viewers rather than the
 * publisher
 */
public record Audience(List<AudienceShare> regions, boolean ofViewers) {

	/** Nowhere known: the distance part is left out of scores. */
	public static final Audience UNKNOWN = new Audience(List.of(), false);

	/** The distance at which a box's nearness to a place is one half. */
	static final double SCALE_KM = 1000;

	public Audience {
		regions = List.copyOf(Objects.requireNonNull(regions, "regions"));
	}

	/**
	 * The audience a SEARCH names, else the publisher's own place.
	 * @param viewers the SEARCH's {@code AUDIENCE}, {@code null} or empty when none
	 * @param publisher where GeoIP places the publisher, {@code null} if unknown
	 * @return the audience
	 */
	public static Audience of(List<AudienceShare> viewers, GeoLocation publisher) {
		if (viewers != null && !viewers.isEmpty()) {
			return new Audience(viewers, true);
		}
		return near(publisher);
	}

	/**
	 * One place: the publisher's.
	 * @param publisher where GeoIP places the publisher, {@code null} if unknown
	 * @return the audience, {@link #UNKNOWN} without coordinates
	 */
	public static Audience near(GeoLocation publisher) {
		if (publisher == null || !publisher.hasCoordinates()) {
			return UNKNOWN;
		}
		return new Audience(List.of(new AudienceShare(publisher.latitude(), publisher.longitude(), 1)), false);
	}

	/**
	 * Whether any place is known.
	 * @return {@code false} for {@link #UNKNOWN}
	 */
	public boolean isKnown() {
		return !this.regions.isEmpty();
	}

	/**
	 * How near a box is to the audience: the share-weighted mean over the regions of
	 * {@code 1 / (1 + km / 1000)}, so 1 when every viewer is in the box's city, 0.5 at 1
	 * 000 km and 0.05 on the far side of the planet. A mean of nearness, not of
	 * kilometres: a box in one of two far-apart regions is near half the audience, while
	 * one half-way between is near nobody.
	 * @param box where the box is
	 * @return the nearness in (0, 1]; empty when the box or the audience has no place
	 */
	public OptionalDouble nearness(GeoLocation box) {
		return weightedMean(box, (km) -> 1 / (1 + km / SCALE_KM));
	}

	/**
	 * The share-weighted mean distance from a box to the audience, for operators.
	 * @param box where the box is
	 * @return kilometres; empty when the box or the audience has no place
	 */
	public OptionalDouble meanKilometres(GeoLocation box) {
		return weightedMean(box, (km) -> km);
	}

	private OptionalDouble weightedMean(GeoLocation box, DoubleUnaryOperator ofKilometres) {
		if (!isKnown() || box == null || !box.hasCoordinates()) {
			return OptionalDouble.empty();
		}
		double sum = 0;
		double shares = 0;
		for (AudienceShare region : this.regions) {
			sum += region.share() * ofKilometres.applyAsDouble(GreatCircle.kilometres(box, region.location()));
			shares += region.share();
		}
		return OptionalDouble.of(sum / shares);
	}

	@Override
	public String toString() {
		if (!isKnown()) {
			return "nowhere known";
		}
		return this.ofViewers ? this.regions.size() + " viewer regions" : "the publisher's place";
	}

}
