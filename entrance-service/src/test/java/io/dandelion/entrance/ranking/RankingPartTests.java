package io.dandelion.entrance.ranking;

import org.junit.jupiter.api.Test;

import io.dandelion.support.geo.GreatCircle;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;

import static io.dandelion.entrance.ranking.RankingFixtures.FRANKFURT;
import static io.dandelion.entrance.ranking.RankingFixtures.NOW;
import static io.dandelion.entrance.ranking.RankingFixtures.SAO_PAULO;
import static io.dandelion.entrance.ranking.RankingFixtures.TAIPEI;
import static io.dandelion.entrance.ranking.RankingFixtures.TOKYO;
import static io.dandelion.entrance.ranking.RankingFixtures.box;
import static io.dandelion.entrance.ranking.RankingFixtures.candidate;
import static io.dandelion.entrance.ranking.RankingFixtures.metrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Each part's formula, and its neutral value when figures are missing.
 */
class RankingPartTests {

	@Test
	void shouldKeepPartsInReasonOrder() {
		assertThat(RankingPart.values()).extracting(RankingPart::key)
			.containsExactly("distance", "storage", "bandwidth", "cpu", "freshness", "ttfb", "throughput");
	}

	@Test
	void shouldFindPartByKey() {
		assertThat(RankingPart.ofKey("bandwidth")).isEqualTo(RankingPart.BANDWIDTH);
		assertThatIllegalArgumentException().isThrownBy(() -> RankingPart.ofKey("latency"))
			.withMessageContaining("latency")
			.withMessageContaining("distance, storage, bandwidth, cpu, freshness, ttfb, throughput");
	}

	@Test
	void shouldMeasureGreatCircleDistances() {
		// Published figures: Tokyo-Taipei about 2 100 km, Tokyo-Frankfurt about 9 350 km.
		assertThat(GreatCircle.kilometres(TOKYO, TAIPEI)).isCloseTo(2100, within(20.0));
		assertThat(GreatCircle.kilometres(TOKYO, FRANKFURT)).isCloseTo(9350, within(50.0));
		assertThat(GreatCircle.kilometres(TOKYO, TOKYO)).isZero();
		GeoLocation north = RankingFixtures.place("1.1.1.1", null, null, 90, 0);
		GeoLocation south = RankingFixtures.place("1.1.1.2", null, null, -90, 0);
		assertThat(GreatCircle.kilometres(north, south)).isCloseTo(Math.PI * GreatCircle.EARTH_RADIUS_KM,
				within(0.001));
	}

	@Test
	void shouldScoreDistanceByClosenessToPublisher() {
		Candidate tokyo = candidate(box(1, TOKYO.ip(), TOKYO, BoxMetrics.NONE));
		assertThat(distance(tokyo, TOKYO)).isEqualTo(1.0);
		assertThat(distance(tokyo, TAIPEI)).isCloseTo(1 / (1 + 2.1), within(0.01));
		assertThat(distance(tokyo, SAO_PAULO)).isLessThan(0.06).isPositive();
	}

	@Test
	void shouldScoreDistanceNeutralWhenEitherLocationIsUnknown() {
		GeoLocation nowhere = new GeoLocation("127.0.9.1", null, "JP", null, null, null, null, null);
		assertThat(distance(candidate(box(1, TOKYO.ip(), TOKYO, BoxMetrics.NONE)), null)).isEqualTo(0.5);
		assertThat(distance(candidate(box(1, TOKYO.ip(), TOKYO, BoxMetrics.NONE)), nowhere)).isEqualTo(0.5);
		assertThat(distance(candidate(box(1, TOKYO.ip(), null, BoxMetrics.NONE)), TOKYO)).isEqualTo(0.5);
		assertThat(distance(candidate(box(1, TOKYO.ip(), nowhere, BoxMetrics.NONE)), TOKYO)).isEqualTo(0.5);
	}

	@Test
	void shouldScoreStorageByFreeQuota() {
		assertThat(value(RankingPart.STORAGE, metrics(null, 100.0, 90.0, 750L, 1000L, null, null))).isEqualTo(0.25);
	}

	@Test
	void shouldScoreStorageByFreeDiskWhenQuotaIsUnknown() {
		assertThat(value(RankingPart.STORAGE, metrics(null, 100.0, 90.0, null, null, null, null))).isEqualTo(0.9);
		assertThat(value(RankingPart.STORAGE, metrics(null, 100.0, 90.0, 5L, 0L, null, null))).isEqualTo(0.9);
	}

	@Test
	void shouldScoreStorageNeutralWhenNothingIsKnown() {
		assertThat(value(RankingPart.STORAGE, BoxMetrics.NONE)).isEqualTo(0.5);
		assertThat(value(RankingPart.STORAGE, metrics(null, 0.0, 0.0, null, null, null, null))).isEqualTo(0.5);
	}

	@Test
	void shouldClipStorageWhenBoxIsOverItsQuota() {
		assertThat(value(RankingPart.STORAGE, metrics(null, null, null, 2000L, 1000L, null, null))).isZero();
	}

	@Test
	void shouldScoreBandwidthByUplinkHeadroom() {
		// 2.5 MB/s is 20 Mbit/s of a 100 Mbit/s uplink.
		assertThat(value(RankingPart.BANDWIDTH, metrics(null, null, null, null, null, 100.0, 2_500_000L)))
			.isCloseTo(0.8, within(1e-9));
		assertThat(value(RankingPart.BANDWIDTH, metrics(null, null, null, null, null, 10.0, 0L))).isEqualTo(1.0);
		assertThat(value(RankingPart.BANDWIDTH, metrics(null, null, null, null, null, 10.0, 50_000_000L))).isZero();
	}

	@Test
	void shouldScoreBandwidthNeutralWhenUplinkOrTrafficIsUnknown() {
		assertThat(value(RankingPart.BANDWIDTH, metrics(null, null, null, null, null, null, 1000L))).isEqualTo(0.5);
		assertThat(value(RankingPart.BANDWIDTH, metrics(null, null, null, null, null, 100.0, null))).isEqualTo(0.5);
		assertThat(value(RankingPart.BANDWIDTH, metrics(null, null, null, null, null, 0.0, 1000L))).isEqualTo(0.5);
	}

	@Test
	void shouldScoreCpuByIdleShare() {
		assertThat(value(RankingPart.CPU, metrics(98.4, null, null, null, null, null, null))).isCloseTo(0.984,
				within(1e-9));
		assertThat(value(RankingPart.CPU, metrics(null, null, null, null, null, null, null))).isEqualTo(0.5);
		assertThat(value(RankingPart.CPU, metrics(Double.NaN, null, null, null, null, null, null))).isEqualTo(0.5);
		assertThat(value(RankingPart.CPU, metrics(250.0, null, null, null, null, null, null))).isEqualTo(1.0);
		assertThat(value(RankingPart.CPU, metrics(-3.0, null, null, null, null, null, null))).isZero();
	}

	@Test
	void shouldScoreFreshnessByTimeLeftInTheExpiryWindow() {
		ExchangeRequest box = box(1, TOKYO.ip(), TOKYO, BoxMetrics.NONE);
		assertThat(freshness(Candidate.of(box, NOW, NOW.plusSeconds(60)))).isEqualTo(1.0);
		assertThat(freshness(Candidate.of(box, NOW.minusSeconds(45), NOW.plusSeconds(15)))).isEqualTo(0.25);
		assertThat(freshness(Candidate.of(box, NOW.minusSeconds(60), NOW))).isZero();
		assertThat(freshness(Candidate.of(box, NOW.minusSeconds(90), NOW.minusSeconds(30)))).isZero();
		// A heartbeat stamped in the future (clock skew) is as fresh as can be.
		assertThat(freshness(Candidate.of(box, NOW.plusSeconds(5), NOW.plusSeconds(65)))).isEqualTo(1.0);
	}

	@Test
	void shouldScoreFreshnessWhenWindowIsEmpty() {
		ExchangeRequest box = box(1, TOKYO.ip(), TOKYO, BoxMetrics.NONE);
		assertThat(freshness(Candidate.of(box, NOW.plusSeconds(10), NOW.plusSeconds(10)))).isEqualTo(1.0);
		assertThat(freshness(Candidate.of(box, NOW.minusSeconds(10), NOW.minusSeconds(10)))).isZero();
	}

	private static double distance(Candidate candidate, GeoLocation publisher) {
		return RankingPart.DISTANCE.score(candidate, Audience.near(publisher), NOW);
	}

	private static double freshness(Candidate candidate) {
		return RankingPart.FRESHNESS.score(candidate, null, NOW);
	}

	private static double value(RankingPart part, BoxMetrics metrics) {
		return part.score(candidate(box(1, TOKYO.ip(), TOKYO, metrics)), null, NOW);
	}

}
