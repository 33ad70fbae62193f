package io.dandelion.entrance.ranking;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.dandelion.entrance.ranking.RankingFixtures.NOW;
import static io.dandelion.entrance.ranking.RankingFixtures.TOKYO;
import static io.dandelion.entrance.ranking.RankingFixtures.TYPICAL;
import static io.dandelion.entrance.ranking.RankingFixtures.box;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measured figures, the seam for ranking parts that do not come from heartbeats.
 */
class CandidateTests {

	@Test
	void shouldOfferMeasuredFiguresByName() {
		Candidate candidate = new Candidate(box(1, TOKYO.ip(), TOKYO, TYPICAL), NOW, NOW.plusSeconds(60),
				Map.of("rtt-ms", 42.0, "ack-ms", Double.NaN));
		assertThat(candidate.measurement("rtt-ms")).hasValue(42.0);
		assertThat(candidate.measurement("ack-ms")).isEmpty();
		assertThat(candidate.measurement("loss")).isEmpty();
	}

	@Test
	void shouldCopyMeasuredFigures() {
		Map<String, Double> measured = new HashMap<>(Map.of("rtt-ms", 42.0));
		Candidate candidate = new Candidate(box(1, TOKYO.ip(), TOKYO, TYPICAL), NOW, NOW.plusSeconds(60), measured);
		measured.put("rtt-ms", 500.0);
		assertThat(candidate.measurement("rtt-ms")).hasValue(42.0);
		assertThat(Candidate.of(box(1, TOKYO.ip(), TOKYO, TYPICAL), NOW, NOW).measured()).isEmpty();
	}

}
