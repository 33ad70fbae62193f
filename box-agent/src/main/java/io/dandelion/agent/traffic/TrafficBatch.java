package io.dandelion.agent.traffic;

import java.util.List;

import io.dandelion.protocol.TrafficEntry;

/**
 * Traffic entries taken for one EXCHANGE. While a batch is out, no other EXCHANGE carries
 * them; {@link TrafficOutbox#complete} removes them once an entrance accepted it.
 *
 * @param entries the entries, oldest first
 * @param lease the claim on the entries, {@code 0} for an empty batch
 */
public record TrafficBatch(List<TrafficEntry> entries, long lease) {

	/** A batch of nothing. */
	public static final TrafficBatch NONE = new TrafficBatch(List.of(), 0);

	public TrafficBatch {
		entries = List.copyOf(entries);
	}

}
