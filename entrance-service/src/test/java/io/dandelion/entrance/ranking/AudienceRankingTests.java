package io.dandelion.entrance.ranking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.GeoLocation;

import static io.dandelion.entrance.ranking.RankingFixtures.CLOCK;
import static io.dandelion.entrance.ranking.RankingFixtures.FRANKFURT;
import static io.dandelion.entrance.ranking.RankingFixtures.NEW_YORK;
import static io.dandelion.entrance.ranking.RankingFixtures.TAIPEI;
import static io.dandelion.entrance.ranking.RankingFixtures.TOKYO;
import static io.dandelion.entrance.ranking.RankingFixtures.TYPICAL;
import static io.dandelion.entrance.ranking.RankingFixtures.box;
import static io.dandelion.entrance.ranking.RankingFixtures.candidate;
import static io.dandelion.entrance.ranking.RankingFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Distance among equals, and boxes near the publisher's audience: twelve boxes reporting
 * identical figures, three in each of the four loopback cities, asked for over many
 * seeded SEARCHes.
 */
class AudienceRankingTests {

	private static final Logger logger = LoggerFactory.getLogger(AudienceRankingTests.class);

	private static final int SEARCHES = 500;

	private static final List<GeoLocation> CITIES = List.of(TAIPEI, TOKYO, FRANKFURT, NEW_YORK);

	/** Twelve equal boxes: 127.0.1.11-13 in Taipei, 127.0.2.11-13 in Tokyo, ... */
	private static final List<Candidate> TWELVE = twelveEqualBoxes();

	@Test
	void shouldTakeTheNearBoxesAmongEqualOnesForAPublisherInTaipei() {
		double nearDefault = meanChosen(RankingSettings.defaults(), Audience.near(TAIPEI), 5,
				(city) -> city.equals("Taipei") || city.equals("Tokyo"));
		double nearBlind = meanChosen(blindToDistance(), Audience.near(TAIPEI), 5,
				(city) -> city.equals("Taipei") || city.equals("Tokyo"));
		double taipei = meanChosen(RankingSettings.defaults(), Audience.near(TAIPEI), 5, "Taipei"::equals);
		logger.info("Of 5 boxes for a publisher in Taipei, over {} SEARCHes: {} from Taipei or Tokyo ({} blind to "
				+ "distance), {} from Taipei", SEARCHES, nearDefault, nearBlind, taipei);
		// Nearest first would take 5 of 5; a draw blind to distance takes 5 * 6 / 12
		assertThat(nearDefault).as("boxes of 5 from Taipei or Tokyo").isGreaterThanOrEqualTo(4.7);
		assertThat(taipei).as("boxes of 5 from Taipei, which has 3").isGreaterThanOrEqualTo(2.9);
		assertThat(nearBlind).as("the same, blind to distance").isCloseTo(2.5, within(0.3));
	}

	@Test
	void shouldStillSpreadPublishersOverTheEqualBoxesOfOneCity() {
		Map<String, Integer> counts = new HashMap<>();
		BoxRanker ranker = new BoxRanker(RankingSettings.defaults(), CLOCK, new SplittableRandom(7));
		for (int search = 0; search < SEARCHES; search++) {
			ranker.choose(TWELVE, Audience.near(TAIPEI), 1).forEach((box) -> counts.merge(box.id(), 1, Integer::sum));
		}
		List<Integer> taipei = TWELVE.stream()
			.filter((box) -> box.box().geoip().city().equals("Taipei"))
			.map((box) -> counts.getOrDefault(box.id(), 0))
			.toList();
		assertThat(taipei).as("first choices of the three Taipei boxes")
			.allSatisfy((count) -> assertThat(count).isBetween(SEARCHES / 3 - 60, SEARCHES / 3 + 60));
	}

	@Test
	void shouldTakeBoxesNearTheAudienceWeightedByShareRatherThanNearThePublisher() {
		Audience audience = Audience.of(List.of(share(FRANKFURT, 2 / 3.0), share(NEW_YORK, 1 / 3.0)), TAIPEI);
		double frankfurt = meanChosen(RankingSettings.defaults(), audience, 4, "Frankfurt"::equals);
		double newYork = meanChosen(RankingSettings.defaults(), audience, 4, "New York"::equals);
		assertThat(frankfurt + newYork).as("boxes of 4 near the audience").isGreaterThanOrEqualTo(3.8);
		assertThat(frankfurt).as("Frankfurt, with two thirds of the viewers").isGreaterThan(newYork);
		assertThat(newYork).as("New York, with a third").isGreaterThanOrEqualTo(0.8);
	}

	@Test
	void shouldFallBackToThePublishersPlaceWithoutViewers() {
		assertThat(Audience.of(null, TAIPEI)).isEqualTo(Audience.near(TAIPEI));
		assertThat(Audience.of(List.of(), TAIPEI)).isEqualTo(Audience.near(TAIPEI));
		assertThat(Audience.of(List.of(), TAIPEI).ofViewers()).isFalse();
		assertThat(Audience.of(null, null).isKnown()).isFalse();
		assertThat(Audience.of(List.of(share(FRANKFURT, 1)), TAIPEI).ofViewers()).isTrue();
	}

	@Test
	void shouldShowTheDistanceTermInTheReasons() {
		BoxRanker ranker = new BoxRanker(RankingSettings.defaults(), CLOCK, new SplittableRandom(1));
		Candidate tokyo = candidate(box(1, "127.0.2.10", TOKYO, TYPICAL));
		RankedBox forTaipei = ranker.score(tokyo, Audience.near(TAIPEI));
		assertThat(forTaipei.reasons().get("distance")).isCloseTo(1 / (1 + 2.1), within(0.01));
		assertThat(forTaipei.reasons().get("distance_km")).isCloseTo(2100, within(50.0));
		RankedBox forViewers = ranker.score(tokyo,
				Audience.of(List.of(share(TOKYO, 0.5), share(NEW_YORK, 0.5)), TAIPEI));
		assertThat(forViewers.reasons().get("distance_km")).as("half at 0 km, half at 10 850 km")
			.isCloseTo(5425, within(100.0));
		assertThat(forViewers.reasons().get("distance")).isCloseTo((1 + 1 / (1 + 10.85)) / 2, within(0.01));
		RankedBox listed = ranker.score(tokyo);
		assertThat(listed.reasons()).doesNotContainKeys("distance", "distance_km");
	}

	@Test
	void shouldMultiplyTheMeanOfTheOtherPartsByTheNearnessRaisedToTheDistanceWeight() {
		Candidate tokyo = candidate(box(1, "127.0.2.10", TOKYO, TYPICAL));
		BoxRanker ranker = new BoxRanker(RankingSettings.defaults(), CLOCK, new SplittableRandom(1));
		double mean = ranker.score(tokyo).score();
		double nearness = 1 / (1 + 2.1);
		assertThat(ranker.score(tokyo, Audience.near(TAIPEI)).score()).isCloseTo(mean * nearness, within(0.01));
		BoxRanker squared = new BoxRanker(new RankingSettings(Map.of("distance", 2.0), 3, 4), CLOCK,
				new SplittableRandom(1));
		assertThat(squared.score(tokyo, Audience.near(TAIPEI)).score()).isCloseTo(mean * nearness * nearness,
				within(0.01));
		assertThat(new BoxRanker(blindToDistance(), CLOCK, new SplittableRandom(1)).score(tokyo, Audience.near(TAIPEI))
			.score()).isEqualTo(mean);
	}

	@Test
	void shouldLetAFarBetterBoxBeatANearPoorOne() {
		Candidate poorInTaipei = candidate(
				box(1, "127.0.1.10", TAIPEI, metrics(2.0, 100.0, 2.0, 990L, 1000L, 10.0, 1_200_000L)));
		Candidate excellentInTokyo = candidate(
				box(2, "127.0.2.10", TOKYO, metrics(100.0, 100.0, 100.0, 0L, 1000L, 1000.0, 0L)));
		BoxRanker ranker = new BoxRanker(RankingSettings.defaults(), CLOCK, new SplittableRandom(1));
		assertThat(ranker.score(excellentInTokyo, Audience.near(TAIPEI)).score())
			.isGreaterThan(ranker.score(poorInTaipei, Audience.near(TAIPEI)).score());
	}

	private static double meanChosen(RankingSettings settings, Audience audience, int amount,
			Function<String, Boolean> city) {
		BoxRanker ranker = new BoxRanker(settings, CLOCK, new SplittableRandom(42));
		long total = 0;
		for (int search = 0; search < SEARCHES; search++) {
			total += ranker.choose(TWELVE, audience, amount)
				.stream()
				.filter((box) -> city.apply(box.box().geoip().city()))
				.count();
		}
		return (double) total / SEARCHES;
	}

	private static RankingSettings blindToDistance() {
		return new RankingSettings(Map.of("distance", 0.0), RankingSettings.DEFAULT_SELECTIVITY,
				RankingSettings.DEFAULT_MAX_PER_NETWORK);
	}

	private static AudienceShare share(GeoLocation place, double share) {
		return new AudienceShare(place.latitude(), place.longitude(), share);
	}

	private static List<Candidate> twelveEqualBoxes() {
		List<Candidate> boxes = new ArrayList<>();
		int number = 1;
		for (GeoLocation city : CITIES) {
			String network = city.ip().substring(0, city.ip().lastIndexOf('.') + 1);
			for (int host = 11; host <= 13; host++) {
				boxes.add(candidate(box(number++, network + host, city, TYPICAL)));
			}
		}
		return List.copyOf(boxes);
	}

}
