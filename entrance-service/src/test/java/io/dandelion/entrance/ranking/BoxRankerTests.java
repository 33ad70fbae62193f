package io.dandelion.entrance.ranking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;

import static io.dandelion.entrance.ranking.RankingFixtures.CLOCK;
import static io.dandelion.entrance.ranking.RankingFixtures.FRANKFURT;
import static io.dandelion.entrance.ranking.RankingFixtures.NEW_YORK;
import static io.dandelion.entrance.ranking.RankingFixtures.NOW;
import static io.dandelion.entrance.ranking.RankingFixtures.SAO_PAULO;
import static io.dandelion.entrance.ranking.RankingFixtures.TAIPEI;
import static io.dandelion.entrance.ranking.RankingFixtures.TAOYUAN;
import static io.dandelion.entrance.ranking.RankingFixtures.TOKYO;
import static io.dandelion.entrance.ranking.RankingFixtures.TYPICAL;
import static io.dandelion.entrance.ranking.RankingFixtures.at;
import static io.dandelion.entrance.ranking.RankingFixtures.box;
import static io.dandelion.entrance.ranking.RankingFixtures.boxId;
import static io.dandelion.entrance.ranking.RankingFixtures.candidate;
import static io.dandelion.entrance.ranking.RankingFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Scoring and choosing: examples with the loopback cities of the test GeoIP database, and
 * properties over arbitrary metrics, times, settings and address mixes.
 */
@ExtendWith(SeededCases.class)
class BoxRankerTests {

	private static final BoxMetrics EXCELLENT = metrics(100.0, 100.0, 100.0, 0L, 1000L, 1000.0, 0L);

	private static final BoxMetrics POOR = metrics(0.0, 100.0, 0.0, 1000L, 1000L, 10.0, 10_000_000L);

	private static final List<String> NETWORKS = List.of("127.0.0.", "127.0.1.", "127.0.2.", "203.0.113.",
			"2001:db8:0:1::", "2001:db8:0:2::");

	// Examples

	@Test
	void shouldListNearestFirstForPublisherInTokyo() {
		List<Candidate> boxes = List.of(at(1, SAO_PAULO), at(2, FRANKFURT), at(3, TAOYUAN), at(4, NEW_YORK),
				at(5, TOKYO), at(6, TAIPEI));
		for (long seed = 0; seed < 20; seed++) {
			List<RankedBox> chosen = ranker(seed).choose(boxes, TOKYO, 6);
			assertThat(chosen).extracting((ranked) -> ranked.box().geoip().city())
				.containsExactly("Tokyo", "Taipei", "Taoyuan", "Frankfurt", "New York", "Sao Paulo");
		}
	}

	@Test
	void shouldReturnChosenBoxesNearestFirstWhenChoosingFewer() {
		List<Candidate> boxes = List.of(at(1, SAO_PAULO), at(2, FRANKFURT), at(3, TAOYUAN), at(4, NEW_YORK),
				at(5, TOKYO), at(6, TAIPEI));
		List<String> nearestFirst = List.of("Tokyo", "Taipei", "Taoyuan", "Frankfurt", "New York", "Sao Paulo");
		for (long seed = 0; seed < 50; seed++) {
			List<String> cities = ranker(seed).choose(boxes, TOKYO, 3)
				.stream()
				.map((ranked) -> ranked.box().geoip().city())
				.toList();
			assertThat(cities).hasSize(3)
				.isSortedAccordingTo((a, b) -> nearestFirst.indexOf(a) - nearestFirst.indexOf(b));
		}
	}

	@Test
	void shouldGiveReasonsInPartOrderAndCarryThemToTheExchange() {
		RankedBox ranked = ranker(1).choose(List.of(at(1, TOKYO)), TAIPEI, 1).get(0);
		assertThat(List.copyOf(ranked.reasons().keySet())).containsExactly("distance", "storage", "bandwidth", "cpu",
				"freshness", "distance_km");
		assertThat(ranked.reasons()).containsEntry("storage", 0.5)
			.containsEntry("bandwidth", 0.8)
			.containsEntry("cpu", 0.8)
			.containsEntry("freshness", 0.8333);
		ExchangeRequest exchange = ranked.toExchange();
		assertThat(exchange.rankScore()).isEqualTo(ranked.score());
		assertThat(exchange.rankReasons()).isEqualTo(ranked.reasons());
	}

	@Test
	void shouldComputeScoreAsWeightedMeanOfPartsTimesNearness() {
		// (0.15 * 0.5 + 0.25 * 0.8 + 0.10 * 0.8 + 0.15 * 50/60) / 0.65, times nearness 1
		assertThat(ranker(1).score(at(1, TOKYO), TOKYO).score()).isEqualTo(0.7385);
		// ... times 1 / (1 + 2.1) from Taipei, 2 100 km away
		assertThat(ranker(1).score(at(1, TOKYO), TAIPEI).score()).isCloseTo(0.7385 / 3.1, within(0.005));
	}

	@Test
	void shouldLeaveDistanceOutWhenListingWithoutPublisher() {
		BoxRanker ranker = ranker(1);
		RankedBox ranked = ranker.score(at(1, TOKYO));
		assertThat(ranked.reasons()).doesNotContainKeys("distance", BoxRanker.DISTANCE_KM_REASON);
		List<RankedBox> listing = ranker.scoreAll(
				List.of(at(1, TOKYO), candidate(box(2, "127.0.3.10", FRANKFURT, EXCELLENT)), expired(at(3, NEW_YORK))));
		assertThat(listing).extracting(RankedBox::id).containsExactly(boxId(2), boxId(1), boxId(3));
	}

	@Test
	void shouldNeverTakeMoreThanTheCapFromOneSlash24() {
		List<Candidate> boxes = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			boxes.add(candidate(box(i, "127.0.2." + i, TOKYO, EXCELLENT)));
		}
		boxes.add(candidate(box(11, "127.0.3.10", FRANKFURT, POOR)));
		boxes.add(candidate(box(12, "127.0.4.10", NEW_YORK, POOR)));
		List<RankedBox> chosen = ranker(7).choose(boxes, TOKYO, 10);
		// Four of the excellent Tokyo boxes, then the poor
		// ones rather than more of Tokyo.
		assertThat(chosen).hasSize(6);
		assertThat(chosen).filteredOn((ranked) -> ranked.box().ip().startsWith("127.0.2.")).hasSize(4);
		assertThat(chosen.subList(4, 6)).extracting(RankedBox::id).containsExactlyInAnyOrder(boxId(11), boxId(12));
	}

	@Test
	void shouldCapIpv6BoxesPerSlash48() {
		List<Candidate> boxes = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			boxes.add(candidate(box(i, "2001:db8:7:" + i + "::1", TOKYO, TYPICAL)));
		}
		boxes.add(candidate(box(7, "2001:db8:8::1", TOKYO, TYPICAL)));
		RankingSettings settings = new RankingSettings(null, 3, 2);
		List<RankedBox> chosen = new BoxRanker(settings, CLOCK, new SplittableRandom(3)).choose(boxes, TOKYO, 10);
		assertThat(chosen).hasSize(3).extracting(RankedBox::id).contains(boxId(7));
	}

	@Test
	void shouldGroupBoxesByTheEntrancesLookupAddressFirst() {
		GeoLocation seen = RankingFixtures.place("198.51.100.7", "JP", "Tokyo", 35.6762, 139.6503);
		ExchangeRequest natted = box(1, "192.168.1.10", null, TYPICAL).withGeoip(seen);
		assertThat(candidate(natted).network()).isEqualTo("198.51.100.0/24");
		assertThat(candidate(box(1, "192.168.1.10", null, TYPICAL)).network()).isEqualTo("192.168.1.0/24");
		assertThat(candidate(box(1, "2001:db8:ab::1", null, TYPICAL)).network()).isEqualTo("2001:db8:ab::/48");
		assertThat(candidate(box(1, "::ffff:203.0.113.9", null, TYPICAL)).network()).isEqualTo("203.0.113.0/24");
		assertThat(candidate(box(1, "box.example", null, TYPICAL)).network()).isEqualTo("box:" + boxId(1));
	}

	@Test
	void shouldNotChooseExpiredBoxes() {
		List<RankedBox> chosen = ranker(1).choose(List.of(expired(at(1, TOKYO)), at(2, FRANKFURT)), TOKYO, 5);
		assertThat(chosen).extracting(RankedBox::id).containsExactly(boxId(2));
	}

	@Test
	void shouldUseLatestHeartbeatWhenBoxAppearsTwice() {
		Candidate old = Candidate.of(box(1, TOKYO.ip(), TOKYO, POOR), NOW.minusSeconds(50), NOW.plusSeconds(10));
		Candidate latest = at(1, TOKYO);
		List<RankedBox> chosen = ranker(1).choose(List.of(latest, old, at(2, TAIPEI)), TOKYO, 5);
		assertThat(chosen).extracting(RankedBox::id).containsExactly(boxId(1), boxId(2));
		assertThat(chosen.get(0).box().metrics()).isEqualTo(TYPICAL);
	}

	@Test
	void shouldReturnNothingWhenNothingIsWantedOrLive() {
		assertThat(ranker(1).choose(List.of(at(1, TOKYO)), TOKYO, 0)).isEmpty();
		assertThat(ranker(1).choose(List.of(), TOKYO, 5)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> ranker(1).choose(List.of(), TOKYO, -1));
	}

	@Test
	void shouldChooseTheSameForTheSameSeedWhateverTheInputOrder() {
		List<Candidate> boxes = equalBoxes(30);
		List<Candidate> shuffled = new ArrayList<>(boxes);
		Collections.shuffle(shuffled, new Random(5));
		assertThat(ranker(11).choose(shuffled, TOKYO, 5)).isEqualTo(ranker(11).choose(boxes, TOKYO, 5));
	}

	@Test
	void shouldChooseDifferentBoxesAmongEqualOnesWithDifferentSeeds() {
		List<Candidate> boxes = equalBoxes(30);
		Set<String> first = ids(ranker(1).choose(boxes, TOKYO, 5));
		Set<String> second = ids(ranker(2).choose(boxes, TOKYO, 5));
		assertThat(first).hasSize(5).isNotEqualTo(second);
		// And no box is a favourite: over many draws every one of them comes up.
		BoxRanker ranker = ranker(3);
		Set<String> seen = new HashSet<>();
		for (int draw = 0; draw < 200; draw++) {
			seen.addAll(ids(ranker.choose(boxes, TOKYO, 5)));
		}
		assertThat(seen).hasSize(30);
	}

	@Test
	void shouldChooseAMuchBetterBoxFarMoreOftenThanABadOne() {
		List<Candidate> boxes = new ArrayList<>();
		boxes.add(candidate(box(1, "127.0.2.1", TOKYO, EXCELLENT)));
		boxes.add(Candidate.of(box(2, "127.0.5.1", SAO_PAULO, POOR), NOW.minusSeconds(55), NOW.plusSeconds(5)));
		List<GeoLocation> places = List.of(TAOYUAN, TAIPEI, FRANKFURT, NEW_YORK);
		for (int i = 3; i <= 10; i++) {
			GeoLocation place = places.get(i % places.size());
			boxes.add(candidate(box(i, "203.0." + i + ".1", place, TYPICAL)));
		}
		Map<String, Integer> counts = countChoices(ranker(42), boxes, 3, 2000);
		int excellent = counts.getOrDefault(boxId(1), 0);
		int poor = counts.getOrDefault(boxId(2), 0);
		// About 4 replies in 5 hold the excellent box: likely, yet not a certainty that
		// would herd every publisher onto it.
		assertThat(excellent).isGreaterThan(1500);
		assertThat(poor).isLessThan(excellent / 30);
	}

	@Test
	void shouldChooseUniformlyWhenSelectivityIsZero() {
		List<Candidate> boxes = List.of(candidate(box(1, "127.0.2.1", TOKYO, EXCELLENT)),
				candidate(box(2, "127.0.5.1", SAO_PAULO, POOR)));
		BoxRanker uniform = new BoxRanker(new RankingSettings(null, 0, 4), CLOCK, new SplittableRandom(9));
		Map<String, Integer> counts = countChoices(uniform, boxes, 1, 2000);
		assertThat(counts.get(boxId(1))).isBetween(850, 1150);
		assertThat(counts.get(boxId(2))).isBetween(850, 1150);
	}

	@Test
	void shouldMultiplyTheScoreOfAReportedBoxByOneOverOnePlusItsReporters() {
		ExchangeRequest box = box(1, TOKYO.ip(), TOKYO, TYPICAL);
		Candidate clean = candidate(box);
		RankedBox unreported = ranker(1).score(clean, TOKYO);
		assertThat(unreported.reasons()).doesNotContainKey(BoxRanker.REPORTS_REASON);
		assertThat(ranker(1).score(reported(clean, 0), TOKYO)).isEqualTo(unreported);

		double previous = unreported.score();
		for (int reporters = 1; reporters <= 5; reporters++) {
			RankedBox ranked = ranker(1).score(reported(clean, reporters), TOKYO);
			double factor = 1.0 / (1 + reporters);
			assertThat(BoxRanker.reportFactor(reporters)).isEqualTo(factor);
			assertThat(ranked.reasons()).containsEntry(BoxRanker.REPORTS_REASON,
					Math.round(factor * 10_000) / 10_000.0);
			// The parts are what they were: only the score carries the factor
			assertThat(ranked.reasons()).containsAllEntriesOf(unreported.reasons());
			assertThat(ranked.score()).isCloseTo(unreported.score() * factor, within(1e-4)).isLessThan(previous);
			previous = ranked.score();
		}
	}

	@Test
	void shouldChooseAReportedBoxLessOftenThanItsTwin() {
		Candidate clean = at(1, TOKYO);
		Candidate twin = candidate(box(2, "127.0.2.11", TOKYO, TYPICAL));
		Map<String, Integer> counts = countChoices(ranker(5), List.of(clean, reported(twin, 1)), 1, 2000);
		// Score halved, drawn with weight score^3: about 1 in 9
		assertThat(counts.get(boxId(2))).isBetween(100, 350);
	}

	@Test
	void shouldNotRankANewBoxFirstOnTheFiguresItReportsAboutItself() {
		Candidate newcomer = live(candidate(box(1, TOKYO.ip(), TOKYO, EXCELLENT)), 0);
		Candidate established = live(candidate(box(2, "127.0.2.11", TOKYO, TYPICAL)), 3600);
		BoxRanker ranker = ranker(1);
		RankedBox claimed = ranker.score(newcomer, TOKYO);
		RankedBox earned = ranker.score(established, TOKYO);

		assertThat(claimed.score()).isLessThan(earned.score());
		// Its own figures count as unknown; what the entrance sees itself counts in full
		assertThat(claimed.reasons()).containsEntry("storage", RankingPart.NEUTRAL)
			.containsEntry("bandwidth", RankingPart.NEUTRAL)
			.containsEntry("cpu", RankingPart.NEUTRAL)
			.containsEntry("distance", earned.reasons().get("distance"))
			.containsEntry("freshness", earned.reasons().get("freshness"))
			.containsEntry(BoxRanker.CLAIMS_REASON, 0.0);
		assertThat(earned.reasons()).doesNotContainKey(BoxRanker.CLAIMS_REASON);
		// As a SEARCH reply carries it, and publishers read it
		MessageCodec codec = new MessageCodec();
		Map<String, String> wire = codec.toFields(claimed.toExchange());
		assertThat(wire).containsEntry("RANK_REASONS",
				"distance=1,storage=0.5,bandwidth=0.5,cpu=0.5,freshness=0.8333,distance_km=0,claims_trusted=0");
		assertThat(codec.toFields(codec.fromFields(wire))).isEqualTo(wire);
		// Nor is a box that claims the worst buried before it could show otherwise
		Candidate modest = live(candidate(box(3, "127.0.2.12", TOKYO, POOR)), 0);
		assertThat(ranker.score(modest, TOKYO).score()).isEqualTo(claimed.score());
	}

	@Test
	void shouldTrustABoxsOwnFiguresInProportionToHowLongItHasBeenLive() {
		Candidate excellent = candidate(box(1, TOKYO.ip(), TOKYO, EXCELLENT));
		BoxRanker ranker = ranker(1);
		RankedBox trusted = ranker.score(excellent, TOKYO);
		double previous = 0;
		// The default: in full after ten minutes
		for (int seconds = 0; seconds <= 600; seconds += 60) {
			RankedBox ranked = ranker.score(live(excellent, seconds), TOKYO);
			double trust = seconds / 600.0;
			for (RankingPart part : RankingPart.values()) {
				if (part.measured()) {
					// Not probed: left out
					assertThat(ranked.reasons()).doesNotContainKey(part.key());
					continue;
				}
				double raw = trusted.reasons().get(part.key());
				double expected = part.claimed() ? RankingPart.NEUTRAL + trust * (raw - RankingPart.NEUTRAL) : raw;
				assertThat(ranked.reasons().get(part.key())).as("%s after %d s", part, seconds)
					.isCloseTo(expected, within(1e-4));
			}
			assertThat(ranked.score()).isGreaterThan(previous);
			previous = ranked.score();
		}
		assertThat(ranker.score(live(excellent, 600), TOKYO)).isEqualTo(trusted);
		assertThat(ranker.score(live(excellent, 86_400), TOKYO)).isEqualTo(trusted);
		// Settings may trust at once
		BoxRanker trusting = new BoxRanker(new RankingSettings(null, 3, 4, Duration.ZERO), CLOCK,
				new SplittableRandom(1));
		assertThat(trusting.score(live(excellent, 0), TOKYO)).isEqualTo(trusted);
	}

	@ParameterizedTest
	@MethodSource("scoredBoxes")
	void shouldNeverLetANewerBoxsOwnFiguresWeighMoreThanAnOlderOnes(Candidate candidate, GeoLocation publisher,
			RankingSettings settings) {
		BoxRanker ranker = new BoxRanker(settings, CLOCK, new SplittableRandom(1));
		RankedBox older = ranker.score(live(candidate, 400), publisher);
		RankedBox newer = ranker.score(live(candidate, 100), publisher);
		assertThat(newer.score()).isFinite().isBetween(0.0, 1.0);
		assertThat(newer.reasons().keySet()).isEqualTo(older.reasons().keySet());
		for (RankingPart part : RankingPart.values()) {
			if (!part.appliesTo(candidate) || !newer.reasons().containsKey(part.key())) {
				continue;
			}
			double distanceFromNeutral = Math.abs(newer.reasons().get(part.key()) - RankingPart.NEUTRAL);
			assertThat(distanceFromNeutral).as(part.key())
				.isLessThanOrEqualTo(Math.abs(older.reasons().get(part.key()) - RankingPart.NEUTRAL) + 1e-4);
		}
	}

	@Test
	void shouldRankAProbedBoxByItsMeasuredFiguresAndNameThem() {
		Candidate unprobed = at(1, TOKYO);
		BoxRanker ranker = ranker(1);
		RankedBox plain = ranker.score(unprobed, TOKYO);
		RankedBox fast = ranker.score(measured(unprobed, 10.0, 80.0), TOKYO);
		RankedBox slow = ranker.score(measured(unprobed, 900.0, 0.5), TOKYO);
		assertThat(plain.reasons()).doesNotContainKeys("ttfb", "throughput", BoxRanker.MEASURED_TTFB_REASON,
				BoxRanker.MEASURED_MBPS_REASON);
		assertThat(List.copyOf(fast.reasons().keySet())).containsExactly("distance", "storage", "bandwidth", "cpu",
				"freshness", "ttfb", "throughput", BoxRanker.DISTANCE_KM_REASON, BoxRanker.MEASURED_TTFB_REASON,
				BoxRanker.MEASURED_MBPS_REASON);
		assertThat(fast.reasons()).containsEntry("ttfb", 0.9091)
			.containsEntry("throughput", 0.8889)
			.containsEntry(BoxRanker.MEASURED_TTFB_REASON, 10.0)
			.containsEntry(BoxRanker.MEASURED_MBPS_REASON, 80.0);
		assertThat(fast.toExchange().rankReasons()).containsEntry("measured_ttfb_ms", 10.0)
			.containsEntry("measured_mbps", 80.0);
		assertThat(slow.reasons()).containsEntry("ttfb", 0.1).containsEntry("throughput", 0.0476);
		// The same box, fast, slow or not probed: measured figures move it both ways
		assertThat(fast.score()).isGreaterThan(plain.score());
		assertThat(slow.score()).isLessThan(plain.score());
		// A box answering without the probe object has a time to first byte only
		RankedBox reachable = ranker.score(new Candidate(unprobed.box(), unprobed.lastSeen(), unprobed.expiresAt(),
				Map.of(RankingPart.TTFB_MS, 10.0)), TOKYO);
		assertThat(reachable.reasons()).containsKeys("ttfb", BoxRanker.MEASURED_TTFB_REASON)
			.doesNotContainKeys("throughput", BoxRanker.MEASURED_MBPS_REASON);
	}

	private static Candidate measured(Candidate candidate, double ttfbMs, double mbps) {
		return new Candidate(candidate.box(), candidate.lastSeen(), candidate.expiresAt(),
				Map.of(RankingPart.TTFB_MS, ttfbMs, RankingPart.MBPS, mbps));
	}

	private static Candidate live(Candidate candidate, int seconds) {
		return new Candidate(candidate.box(), candidate.lastSeen(), candidate.expiresAt(),
				Map.of(BoxRanker.LIVE_SECONDS, (double) seconds));
	}

	private static Candidate reported(Candidate candidate, int reporters) {
		return new Candidate(candidate.box(), candidate.lastSeen(), candidate.expiresAt(),
				Map.of(BoxRanker.REPORTERS, (double) reporters));
	}

	// Properties

	@ParameterizedTest
	@MethodSource("scoredBoxes")
	void shouldKeepEveryScoreFiniteAndWithinZeroAndOne(Candidate candidate, GeoLocation publisher,
			RankingSettings settings) {
		RankedBox ranked = new BoxRanker(settings, CLOCK, new SplittableRandom(1)).score(candidate, publisher);
		assertThat(ranked.score()).isFinite().isBetween(0.0, 1.0);
		// Distance counts where the publisher has a place; its kilometres where the box
		// has one too
		boolean publisherPlaced = publisher != null && publisher.hasCoordinates();
		GeoLocation box = candidate.box().geoip();
		List<String> expected = new ArrayList<>(publisherPlaced ? List.of("distance") : List.of());
		expected.addAll(List.of("storage", "bandwidth", "cpu", "freshness"));
		if (publisherPlaced && box != null && box.hasCoordinates()) {
			expected.add(BoxRanker.DISTANCE_KM_REASON);
		}
		assertThat(List.copyOf(ranked.reasons().keySet())).containsExactlyElementsOf(expected);
		ranked.reasons()
			.forEach((key, value) -> assertThat(value).as(key)
				.isFinite()
				.isBetween(0.0, key.equals(BoxRanker.DISTANCE_KM_REASON) ? 20_040.0 : 1.0));
	}

	@ParameterizedTest
	@MethodSource("choices")
	void shouldChooseDistinctLiveBoxesWithinTheCapBestFirst(List<Candidate> candidates, int amount, int cap, long seed,
			GeoLocation publisher) {
		RankingSettings settings = new RankingSettings(null, 3, cap);
		List<RankedBox> chosen = new BoxRanker(settings, CLOCK, new SplittableRandom(seed)).choose(candidates,
				publisher, amount);

		Map<String, Candidate> latest = new LinkedHashMap<>();
		candidates.forEach((candidate) -> latest.merge(candidate.id(), candidate,
				(kept, other) -> other.lastSeen().isAfter(kept.lastSeen()) ? other : kept));
		Map<String, Integer> livePerNetwork = new HashMap<>();
		latest.values()
			.stream()
			.filter((candidate) -> candidate.expiresAt().isAfter(NOW))
			.forEach((candidate) -> livePerNetwork.merge(candidate.network(), 1, Integer::sum));
		int eligible = livePerNetwork.values().stream().mapToInt((count) -> Math.min(count, cap)).sum();

		assertThat(chosen).hasSize(Math.min(amount, eligible));
		assertThat(chosen).extracting(RankedBox::id).doesNotHaveDuplicates();
		assertThat(chosen).isSortedAccordingTo(BoxRanker.BEST_FIRST);
		Map<String, Integer> chosenPerNetwork = new HashMap<>();
		for (RankedBox ranked : chosen) {
			Candidate source = latest.get(ranked.id());
			assertThat(source.expiresAt()).isAfter(NOW);
			assertThat(ranked.box()).isEqualTo(source.box());
			chosenPerNetwork.merge(source.network(), 1, Integer::sum);
		}
		assertThat(chosenPerNetwork.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(cap));
	}

	static Stream<Arguments> scoredBoxes() {
		BoxMetrics unknown = metrics(null, null, null, null, null, null, null);
		BoxMetrics extreme = metrics(Double.NaN, Double.POSITIVE_INFINITY, -Double.MAX_VALUE, Long.MIN_VALUE,
				Long.MAX_VALUE, Double.NEGATIVE_INFINITY, Long.MAX_VALUE);
		GeoLocation pole = RankingFixtures.place("198.51.100.20", null, null, 90, 180);
		// Edge cases: nothing known, extreme figures and times, one weight alone
		List<Arguments> edges = List.of(
				arguments(Candidate.of(box(1, "203.0.113.1", null, unknown), Instant.MIN, Instant.MAX), null,
						settings(Map.of("distance", 1.0, "storage", 1.0), 0)),
				arguments(Candidate.of(box(1, TOKYO.ip(), TOKYO, extreme), Instant.MAX, Instant.MIN), pole,
						settings(Map.of("cpu", 1e6), 50)),
				arguments(Candidate.of(box(1, SAO_PAULO.ip(), SAO_PAULO, POOR), NOW, NOW), TOKYO,
						settings(Map.of("freshness", Double.MIN_VALUE), 3)));
		return SeededCases.of(0xb0c5L, 2000, edges,
				(gen) -> arguments(scoredCandidate(gen), publisher(gen), settings(gen)));
	}

	static Stream<Arguments> choices() {
		List<Candidate> oneNetwork = IntStream.rangeClosed(1, 60)
			.mapToObj((i) -> candidate(box(i, "127.0.2." + i, TOKYO, TYPICAL)))
			.toList();
		// Edge cases: no boxes, one network full of boxes, the same box seen twice
		List<Arguments> edges = List.of(arguments(List.of(), 25, 1, 0L, TOKYO), arguments(oneNetwork, 25, 1, 1L, null),
				arguments(oneNetwork, 0, 5, 2L, TOKYO),
				arguments(List.of(expired(at(1, TOKYO)), at(1, TOKYO), at(2, TAIPEI)), 25, 5, 3L, TAIPEI));
		return SeededCases.of(0xc401ceL, 1000, edges,
				(gen) -> arguments(gen.listOf(0, 60, BoxRankerTests::liveOrRecentBox), gen.intBetween(0, 25),
						gen.intBetween(1, 5), gen.anyLong(), publisher(gen)));
	}

	private static Candidate scoredCandidate(Gen gen) {
		BoxMetrics boxMetrics = metrics(figure(gen), figure(gen), figure(gen), count(gen), count(gen), figure(gen),
				count(gen));
		GeoLocation place = publisher(gen);
		return Candidate.of(box(1, (place != null) ? place.ip() : "203.0.113.1", place, boxMetrics), instant(gen),
				instant(gen));
	}

	private static Instant instant(Gen gen) {
		return gen.bool() ? NOW.plusSeconds(gen.longBetween(-3600, 3600))
				: Instant.ofEpochSecond(gen.longBetween(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()));
	}

	/** A publisher located anywhere, only by country, unknown, or in a known city. */
	private static GeoLocation publisher(Gen gen) {
		int roll = gen.intBetween(1, 10);
		if (roll <= 6) {
			return RankingFixtures.place("198.51.100.20", null, null, gen.doubleBetween(-90, 90),
					gen.doubleBetween(-180, 180));
		}
		if (roll == 7) {
			return new GeoLocation("198.51.100.20", null, "JP", null, null, null, null, null);
		}
		return (roll == 8) ? null : gen.oneOf(TOKYO, TAIPEI, FRANKFURT, SAO_PAULO);
	}

	private static RankingSettings settings(Gen gen) {
		Map<String, Double> weights;
		do {
			weights = new HashMap<>();
			for (String part : List.of("distance", "storage", "bandwidth", "cpu", "freshness")) {
				weights.put(part, gen.bool() ? 0.0 : gen.doubleBetween(0, 1e6));
			}
		}
		while (weights.entrySet()
			.stream()
			.filter((weight) -> !weight.getKey().equals("distance"))
			.mapToDouble(Map.Entry::getValue)
			.sum() <= 0);
		return settings(weights, gen.doubleBetween(0, 50));
	}

	/** Settings with the given weights and every other weight zero. */
	private static RankingSettings settings(Map<String, Double> weights, double selectivity) {
		Map<String, Double> all = new HashMap<>(
				Map.of("distance", 0.0, "storage", 0.0, "bandwidth", 0.0, "cpu", 0.0, "freshness", 0.0));
		all.putAll(weights);
		return new RankingSettings(all, selectivity, 4);
	}

	/** One of 40 boxes in a few networks, seen in the last one and a half minutes. */
	private static Candidate liveOrRecentBox(Gen gen) {
		int number = gen.intBetween(1, 40);
		String network = gen.chance(0.1) ? null : gen.oneOf(NETWORKS);
		int host = gen.intBetween(1, 250);
		BoxMetrics boxMetrics = gen.oneOf(TYPICAL, EXCELLENT, POOR, BoxMetrics.NONE);
		int age = gen.intBetween(-60, 60);
		GeoLocation place = gen.chance(0.2) ? null : gen.oneOf(TOKYO, FRANKFURT, NEW_YORK);
		String ip = (network != null) ? network + host : "box.example";
		Instant lastSeen = NOW.minusSeconds(30 + age);
		return Candidate.of(box(number, ip, place, boxMetrics), lastSeen, lastSeen.plus(RankingFixtures.WINDOW));
	}

	/** A metric figure: often odd (infinite, not a number, extreme), sometimes absent. */
	private static Double figure(Gen gen) {
		if (gen.chance(0.2)) {
			return null;
		}
		return switch (gen.intBetween(0, 2)) {
			case 0 -> gen.doubleBetween(-1e3, 1e3);
			case 1 -> gen.anyDouble();
			default -> gen.oneOf(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -0.0,
					Double.MIN_VALUE);
		};
	}

	private static Long count(Gen gen) {
		if (gen.chance(0.2)) {
			return null;
		}
		return switch (gen.intBetween(0, 2)) {
			case 0 -> gen.longBetween(-1000, 10_000_000);
			case 1 -> gen.anyLong();
			default -> gen.oneOf(0L, Long.MAX_VALUE, Long.MIN_VALUE);
		};
	}

	// Helpers

	private static BoxRanker ranker(long seed) {
		return new BoxRanker(RankingSettings.defaults(), CLOCK, new SplittableRandom(seed));
	}

	private static Candidate expired(Candidate candidate) {
		return Candidate.of(candidate.box(), NOW.minusSeconds(120), NOW.minusSeconds(60));
	}

	/** Identical boxes in Tokyo, each in a network of its own. */
	private static List<Candidate> equalBoxes(int count) {
		return IntStream.rangeClosed(1, count)
			.mapToObj((i) -> candidate(box(i, "203.0." + i + ".1", TOKYO, TYPICAL)))
			.toList();
	}

	private static Set<String> ids(List<RankedBox> chosen) {
		Set<String> ids = new HashSet<>();
		chosen.forEach((ranked) -> ids.add(ranked.id()));
		return ids;
	}

	private static Map<String, Integer> countChoices(BoxRanker ranker, List<Candidate> boxes, int amount, int draws) {
		Map<String, Integer> counts = new HashMap<>();
		for (int draw = 0; draw < draws; draw++) {
			ranker.choose(boxes, TOKYO, amount).forEach((ranked) -> counts.merge(ranked.id(), 1, Integer::sum));
		}
		return counts;
	}

}
