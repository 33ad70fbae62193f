package io.dandelion.entrance.ranking;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Defaults, merging of partial weights, and validation.
 */
class RankingSettingsTests {

	@Test
	void shouldDefaultEveryWeightInPartOrder() {
		RankingSettings settings = RankingSettings.defaults();
		assertThat(settings.weights()).containsExactly(Map.entry("distance", 1.0), Map.entry("storage", 0.15),
				Map.entry("bandwidth", 0.25), Map.entry("cpu", 0.10), Map.entry("freshness", 0.15),
				Map.entry("ttfb", 0.15), Map.entry("throughput", 0.15));
		assertThat(settings.selectivity()).isEqualTo(RankingSettings.DEFAULT_SELECTIVITY);
		assertThat(settings.maxPerNetwork()).isEqualTo(4);
		assertThat(settings.weight(RankingPart.BANDWIDTH)).isEqualTo(0.25);
	}

	@Test
	void shouldKeepDefaultsForWeightsLeftOut() {
		RankingSettings settings = new RankingSettings(Map.of("distance", 1.0, "cpu", 0.0), 2, 3);
		assertThat(settings.weights()).containsExactly(Map.entry("distance", 1.0), Map.entry("storage", 0.15),
				Map.entry("bandwidth", 0.25), Map.entry("cpu", 0.0), Map.entry("freshness", 0.15),
				Map.entry("ttfb", 0.15), Map.entry("throughput", 0.15));
	}

	@Test
	void shouldBeEqualWhenWeightsAreEqualAfterMerging() {
		assertThat(new RankingSettings(Map.of("distance", 1.0), 3, 4)).isEqualTo(RankingSettings.defaults());
	}

	@Test
	void shouldRefuseNegativeWeight() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(Map.of("storage", -0.1), 3, 4))
			.withMessageContaining("storage");
	}

	@Test
	void shouldRefuseWeightThatIsNotFinite() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(Map.of("cpu", Double.NaN), 3, 4))
			.withMessageContaining("cpu");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RankingSettings(Map.of("cpu", Double.POSITIVE_INFINITY), 3, 4))
			.withMessageContaining("cpu");
	}

	@Test
	void shouldRefuseMissingWeightValue() {
		Map<String, Double> weights = new HashMap<>();
		weights.put("bandwidth", null);
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(weights, 3, 4))
			.withMessageContaining("bandwidth");
	}

	@Test
	void shouldRefuseAllWeightsZero() {
		Map<String, Double> zeros = Map.of("distance", 0.0, "storage", 0.0, "bandwidth", 0.0, "cpu", 0.0, "freshness",
				0.0);
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(zeros, 3, 4))
			.withMessageContaining("positive");
	}

	@Test
	void shouldRefuseWeightsOnMeasuredPartsAlone() {
		// A box nobody probed is scored without them: its score would be 0 / 0
		Map<String, Double> measuredOnly = Map.of("distance", 0.0, "storage", 0.0, "bandwidth", 0.0, "cpu", 0.0,
				"freshness", 0.0, "ttfb", 1.0, "throughput", 1.0);
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(measuredOnly, 3, 4))
			.withMessageContaining("neither measured nor distance must be positive");
	}

	@Test
	void shouldRefuseAWeightOnDistanceAlone() {
		// Distance multiplies the mean of the others: with no other, there is no mean
		Map<String, Double> distanceOnly = Map.of("distance", 1.0, "storage", 0.0, "bandwidth", 0.0, "cpu", 0.0,
				"freshness", 0.0);
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(distanceOnly, 3, 4))
			.withMessageContaining("neither measured nor distance must be positive");
	}

	@Test
	void shouldRefuseUnknownPart() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(Map.of("latency", 1.0), 3, 4))
			.withMessageContaining("latency");
	}

	@Test
	void shouldRefuseBadSelectivity() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(null, -1, 4))
			.withMessageContaining("selectivity");
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(null, Double.NaN, 4))
			.withMessageContaining("selectivity");
		assertThat(new RankingSettings(null, 0, 4).selectivity()).isZero();
	}

	@Test
	void shouldRefuseCapBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RankingSettings(null, 3, 0))
			.withMessageContaining("max-per-network");
	}

}
