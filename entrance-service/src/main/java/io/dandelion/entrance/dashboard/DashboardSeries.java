package io.dandelion.entrance.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's plots over time, one point per sample: the rates are drawn between a
 * sample and the one before it, so a plot's first point has none ({@code null}), nor has
 * a point whose total went down (Redis lost the counter, or a box's totals).
 *
 * @param times each sample's time, Unix seconds with milliseconds (as the plots want
 * them)
 * @param liveBoxes live boxes at each sample
 * @param exchangesPerSecond heartbeats accepted per second by every replica
 * @param boxBytesPerSecond by box ID, the bytes per second it served; {@code null} where
 * a sample or the one before did not keep the box
 */
record DashboardSeries(List<Double> times, List<Long> liveBoxes, List<Double> exchangesPerSecond,
		Map<String, List<Double>> boxBytesPerSecond) {

	/**
	 * The plots of consecutive samples.
	 * @param samples the samples, oldest first
	 * @param skipFirst whether to leave the first sample's point out: it is only there as
	 * the base of the next one's rates (an update, after points already sent)
	 * @return the plots
	 */
	static DashboardSeries of(List<DashboardSample> samples, boolean skipFirst) {
		int first = skipFirst ? 1 : 0;
		int size = Math.max(0, samples.size() - first);
		List<Double> times = new ArrayList<>(size);
		List<Long> liveBoxes = new ArrayList<>(size);
		List<Double> exchangesPerSecond = new ArrayList<>(size);
		Map<String, Double[]> boxBytes = new TreeMap<>();
		for (int i = first; i < samples.size(); i++) {
			DashboardSample sample = samples.get(i);
			DashboardSample previous = (i > 0) ? samples.get(i - 1) : null;
			times.add(sample.at().toEpochMilli() / 1000.0);
			liveBoxes.add(sample.liveBoxes());
			exchangesPerSecond
				.add((previous != null) ? rate(previous, sample, previous.exchanges(), sample.exchanges()) : null);
			for (Map.Entry<String, Long> box : sample.boxBytes().entrySet()) {
				Long before = (previous != null) ? previous.boxBytes().get(box.getKey()) : null;
				Double[] points = boxBytes.computeIfAbsent(box.getKey(), (id) -> new Double[size]);
				points[i - first] = (before != null) ? rate(previous, sample, before, box.getValue()) : null;
			}
		}
		Map<String, List<Double>> boxBytesPerSecond = new TreeMap<>();
		boxBytes
			.forEach((id, points) -> boxBytesPerSecond.put(id, Collections.unmodifiableList(Arrays.asList(points))));
		return new DashboardSeries(times, liveBoxes, exchangesPerSecond, boxBytesPerSecond);
	}

	private static Double rate(DashboardSample from, DashboardSample to, long before, long after) {
		double seconds = (to.at().toEpochMilli() - from.at().toEpochMilli()) / 1000.0;
		if (seconds <= 0 || after < before) {
			return null;
		}
		return (after - before) / seconds;
	}

}
