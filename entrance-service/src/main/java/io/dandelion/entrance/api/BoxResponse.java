package io.dandelion.entrance.api;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.dandelion.entrance.ranking.RankedBox;
import io.dandelion.entrance.registry.LiveBox;
import io.dandelion.entrance.report.BoxReports;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;

/**
 * A live box as the REST API shows it to operators: what it reported, where the
 * entrance's GeoIP lookup places it, what it served and how it ranks. Unknown values are
 * left out of the JSON.
 *
 * @param id the box's ID
 * @param ip the address the box reports
 * @param port the port publishers reach its WebSocket on
 * @param connectWs the WebSocket URL publishers connect to
 * @param geoip where the entrance places the box; absent when unknown
 * @param system the system figures of its last heartbeat
 * @param firstSeen when it registered: it has been live ever since (its own figures count
 * in full in the rank once it has been live {@code ENTRANCE_CLAIMS_TRUSTED_AFTER})
 * @param lastSeen when its last heartbeat arrived
 * @param expiresAt when it is dropped unless it heartbeats again
 * @param seenFrom the address its last heartbeat came from
 * @param traffic what it has served, as counted by this entrance
 * @param rank its score without a publisher location (distance is neutral)
 * @param reports the REPORTs publishers made against it; absent when there are none on
 * record
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BoxResponse(String id, String ip, Integer port, String connectWs, GeoIp geoip, SystemInfo system,
		Instant firstSeen, Instant lastSeen, Instant expiresAt, String seenFrom, Traffic traffic, Rank rank,
		Reports reports) {

	static BoxResponse of(LiveBox box, RankedBox ranked, Map<String, Long> totals, BoxReports reports) {
		ExchangeRequest exchange = box.exchange();
		return new BoxResponse(exchange.id(), exchange.ip(), exchange.port(), exchange.connectWs(),
				GeoIp.of(exchange.geoip()), SystemInfo.of(exchange.metrics()), box.firstSeen(), box.lastSeen(),
				box.expiresAt(), box.seenFrom(), Traffic.of(totals), new Rank(ranked.score(), ranked.reasons()),
				Reports.of(reports));
	}

	/**
	 * Where a box is.
	 *
	 * @param country ISO country code
	 * @param city city name
	 * @param region region or subdivision name
	 * @param latitude latitude in degrees
	 * @param longitude longitude in degrees
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record GeoIp(String country, String city, String region, Double latitude, Double longitude) {

		static GeoIp of(GeoLocation location) {
			return (location != null) ? new GeoIp(location.country(), location.city(), location.region(),
					location.latitude(), location.longitude()) : null;
		}

	}

	/**
	 * The system figures of a box's last heartbeat, under readable names (the wire's
	 * {@code CPU-IDLE} is {@code cpuIdle}); see {@link BoxMetrics} for units.
	 *
	 * @param cpuMhz maximum CPU frequency, MHz
	 * @param cpuCount logical CPUs
	 * @param cpuUser CPU time in user mode, %
	 * @param cpuSystem CPU time in kernel mode, %
	 * @param cpuNice CPU time in niced processes, %
	 * @param cpuIdle CPU time idle, %
	 * @param cpuIoWait CPU time waiting for I/O, %
	 * @param cpuIrq CPU time serving interrupts, %
	 * @param cpuSoftIrq CPU time serving soft interrupts, %
	 * @param loadAverage1 load average over 1 minute
	 * @param loadAverage5 load average over 5 minutes
	 * @param loadAverage15 load average over 15 minutes
	 * @param memoryTotalKib total memory, KiB
	 * @param memoryAvailableKib available memory, KiB
	 * @param diskTotalGib size of the store's file system, GiB
	 * @param diskAvailableGib free space of the store's file system, GiB
	 * @param uplinkMbps declared uplink capacity, Mbit/s
	 * @param servedBytesPerSecond bytes per second served over the last period
	 * @param networkReceivedBytes bytes received since boot
	 * @param networkSentBytes bytes sent since boot
	 * @param storeUsedBytes bytes held for publishers
	 * @param storeMaxBytes the store's quota, bytes
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record SystemInfo(Double cpuMhz, Integer cpuCount, Double cpuUser, Double cpuSystem, Double cpuNice,
			Double cpuIdle, Double cpuIoWait, Double cpuIrq, Double cpuSoftIrq, Double loadAverage1,
			Double loadAverage5, Double loadAverage15, Long memoryTotalKib, Long memoryAvailableKib,
			Double diskTotalGib, Double diskAvailableGib, Double uplinkMbps, Long servedBytesPerSecond,
			Long networkReceivedBytes, Long networkSentBytes, Long storeUsedBytes, Long storeMaxBytes) {

		static SystemInfo of(BoxMetrics m) {
			return new SystemInfo(m.cpuMhz(), m.cpuCount(), m.cpuUser(), m.cpuSystem(), m.cpuNice(), m.cpuIdle(),
					m.cpuIoWait(), m.cpuIrq(), m.cpuSoftIrq(), m.loadAverage1(), m.loadAverage5(), m.loadAverage15(),
					m.memoryTotalKib(), m.memoryAvailableKib(), m.diskTotalGib(), m.diskAvailableGib(), m.uplinkMbps(),
					m.servedBytesPerSecond(), m.networkReceivedBytes(), m.networkSentBytes(), m.storeUsedBytes(),
					m.storeMaxBytes());
		}

	}

	/**
	 * What a box has served, each reported request counted once.
	 *
	 * @param bytes bytes served
	 * @param requests requests served
	 * @param byStatusClass requests by HTTP status class ({@code 2xx}, {@code 4xx}, …)
	 */
	public record Traffic(long bytes, long requests, Map<String, Long> byStatusClass) {

		private static final String BYTES = "bytes";

		private static final String REQUESTS = "requests";

		static Traffic of(Map<String, Long> totals) {
			Map<String, Long> byStatusClass = new TreeMap<>(totals);
			Long bytes = byStatusClass.remove(BYTES);
			Long requests = byStatusClass.remove(REQUESTS);
			return new Traffic((bytes != null) ? bytes : 0, (requests != null) ? requests : 0, byStatusClass);
		}

	}

	/**
	 * A box's score and the parts that make it up.
	 *
	 * @param score the weighted mean of the parts, in [0, 1], higher is better, times the
	 * reports factor when publishers reported the box
	 * @param reasons each part's value by name (distance, storage, bandwidth, cpu,
	 * freshness), and {@code reports}, the factor, for a reported box
	 */
	public record Rank(double score, Map<String, Double> reasons) {

	}

	/**
	 * The REPORTs publishers made against a box: that it served bytes other than those
	 * published.
	 *
	 * @param count every report accepted, however many came from one publisher
	 * @param reporters the distinct publishers that reported it within the window (24 h
	 * by default), the figure that lowers its score
	 * @param lastReportAt when the latest report arrived
	 * @param lastFilePath the file the latest report named
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Reports(long count, long reporters, Instant lastReportAt, String lastFilePath) {

		static Reports of(BoxReports reports) {
			return (reports != null)
					? new Reports(reports.count(), reports.reporters(), reports.lastReportAt(), reports.lastFilePath())
					: null;
		}

	}

}
