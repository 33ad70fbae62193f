package io.dandelion.entrance.ranking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.dandelion.protocol.ExchangeRequest;

/**
 * A box with its score and the parts that make it up, as a SEARCH reply or the box
 * listing shows them.
 *
 * @param box the box's last EXCHANGE
 * @param score the weighted mean of the parts, in [0, 1], higher is better
 * @param reasons each part's value by {@link RankingPart#key() key}, in part order
 * (distance, storage, bandwidth, cpu, freshness, and for a probed box ttfb and
 * throughput), then {@code claims_trusted} for a box not yet trusted in full, the figures
 * the entrance's probes measured ({@code measured_ttfb_ms}, {@code measured_mbps}), and,
 * for a box publishers reported, the factor {@code reports} that multiplied the score
 */
public record RankedBox(ExchangeRequest box, double score, Map<String, Double> reasons) {

	public RankedBox {
		Objects.requireNonNull(box, "box");
		reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
	}

	/**
	 * The box's ID.
	 * @return the ID
	 */
	public String id() {
		return this.box.id();
	}

	/**
	 * The box's exchange data carrying this rank, for a SEARCH reply's {@code BOX_SET}.
	 * @return the box with {@code RANK_SCORE} and {@code RANK_REASONS}
	 */
	public ExchangeRequest toExchange() {
		return this.box.withRank(this.score, this.reasons);
	}

}
