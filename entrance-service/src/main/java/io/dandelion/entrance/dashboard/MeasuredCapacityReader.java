package io.dandelion.entrance.dashboard;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.dandelion.entrance.probe.BoxProbes;

/**
 * The one place the dashboard reads measured capacity from: what the entrance's dial-back
 * probes found of each box.
 */
@Component
class MeasuredCapacityReader {

	private final BoxProbes probes;

	MeasuredCapacityReader(BoxProbes probes) {
		this.probes = probes;
	}

	/**
	 * The measured capacity of boxes.
	 * @param boxIds the boxes
	 * @return by box ID, the boxes ever probed (none with probing off)
	 */
	Mono<Map<String, MeasuredCapacity>> read(Collection<String> boxIds) {
		return this.probes.health(boxIds).map((found) -> {
			Map<String, MeasuredCapacity> measured = new HashMap<>();
			found.forEach((boxId, health) -> measured.put(boxId,
					new MeasuredCapacity(health.suspended(), health.ttfbMs(), health.mbps())));
			return measured;
		});
	}

}
