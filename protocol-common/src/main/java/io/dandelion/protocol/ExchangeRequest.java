package io.dandelion.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A box's heartbeat to an entrance ({@code COMMAND: EXCHANGE, TYPE: BOX}), and the form
 * in which an entrance hands a box's data to publishers inside a SEARCH reply's
 * {@code BOX_SET}. Every value is a string on the wire, as the original sent them from a
 * Redis hash; {@link ExchangeRequestJson} does that conversion in one place.
 *
 * @param id the box's ID
 * @param ip the box's public address as the box believes it
 * @param port the port publishers and viewers reach the box's WebSocket on ({@code PORT},
 * a string on the wire)
 * @param connectWs the WebSocket URL publishers should connect to ({@code CONNECT_WS})
 * @param dataPort the port viewers fetch the box's files from ({@code DATA_PORT}, new; a
 * string on the wire); the original's boxes always used 7072 and sent none
 * @param dataScheme how viewers fetch from the data port ({@code DATA_SCHEME}, new):
 * {@code https} when it serves TLS, {@code http} or {@code null} (not sent, as by the
 * original's boxes) when it serves plain HTTP
 * @param metrics the system figures; never {@code null}, {@link BoxMetrics#NONE} when
 * none were sent
 * @param geoip where the box is ({@code GEOIP-*}): advisory when the box sends it,
 * authoritative when an entrance adds it from its own lookup; may be {@code null}
 * @param rankScore the entrance's score for this box in a SEARCH reply
 * ({@code RANK_SCORE}, new); may be null
 * @param rankReasons the parts of that score ({@code RANK_REASONS}, new, on the wire
 * {@code "distance=0.93,..."}); never {@code null}
 * @param traffic traffic entries served since the last accepted heartbeat; never
 * {@code null}
 * @param extra other scalar fields, kept as strings so that fields added by newer peers
 * survive a relay; never {@code null}
 */
@JsonSerialize(using = ExchangeRequestJson.Writer.class)
@JsonDeserialize(using = ExchangeRequestJson.Reader.class)
public record ExchangeRequest(String id, String ip, Integer port, String connectWs, Integer dataPort, String dataScheme,
		BoxMetrics metrics, GeoLocation geoip, Double rankScore, Map<String, Double> rankReasons,
		List<TrafficEntry> traffic, Map<String, String> extra) implements Message {

	/** {@code DATA_SCHEME} of a box whose data port serves plain HTTP. */
	public static final String PLAIN_DATA = "http";

	/** {@code DATA_SCHEME} of a box whose data port serves HTTPS. */
	public static final String TLS_DATA = "https";

	public ExchangeRequest {
		Objects.requireNonNull(id, "id");
		if (dataScheme != null && !dataScheme.equals(PLAIN_DATA) && !dataScheme.equals(TLS_DATA)) {
			throw new IllegalArgumentException("DATA_SCHEME must be http or https, not " + dataScheme);
		}
		metrics = (metrics != null) ? metrics : BoxMetrics.NONE;
		rankReasons = (rankReasons != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(rankReasons)) : Map.of();
		traffic = (traffic != null) ? List.copyOf(traffic) : List.of();
		extra = (extra != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(extra)) : Map.of();
	}

	/**
	 * A heartbeat with the fields every box sends and nothing optional.
	 * @param id the box's ID
	 * @param ip the box's public address
	 * @param port the box's advertised port
	 * @param connectWs the WebSocket URL for publishers
	 * @param metrics the system figures
	 * @return the request
	 */
	public static ExchangeRequest of(String id, String ip, int port, String connectWs, BoxMetrics metrics) {
		return new ExchangeRequest(id, ip, port, connectWs, null, null, metrics, null, null, null, null, null);
	}

	/**
	 * This request with the port viewers fetch the box's files from.
	 * @param port the data port
	 * @return a copy
	 */
	public ExchangeRequest withDataPort(int port) {
		return new ExchangeRequest(this.id, this.ip, this.port, this.connectWs, port, this.dataScheme, this.metrics,
				this.geoip, this.rankScore, this.rankReasons, this.traffic, this.extra);
	}

	/**
	 * This request saying how viewers fetch from its data port.
	 * @param scheme {@link #TLS_DATA} or {@link #PLAIN_DATA}
	 * @return a copy
	 */
	public ExchangeRequest withDataScheme(String scheme) {
		return new ExchangeRequest(this.id, this.ip, this.port, this.connectWs, this.dataPort, scheme, this.metrics,
				this.geoip, this.rankScore, this.rankReasons, this.traffic, this.extra);
	}

	/**
	 * Whether viewers fetch the box's files over HTTPS: only when the box says so in
	 * {@code DATA_SCHEME}. {@code CONNECT_WS} tells nothing of it: the original's boxes
	 * wrote {@code https://} there and served their files over plain HTTP.
	 * @return {@code true} for {@code DATA_SCHEME: https}
	 */
	public boolean servesDataOverTls() {
		return TLS_DATA.equals(this.dataScheme);
	}

	/**
	 * This request with the given traffic entries.
	 * @param entries the entries to carry
	 * @return a copy
	 */
	public ExchangeRequest withTraffic(List<TrafficEntry> entries) {
		return new ExchangeRequest(this.id, this.ip, this.port, this.connectWs, this.dataPort, this.dataScheme,
				this.metrics, this.geoip, this.rankScore, this.rankReasons, entries, this.extra);
	}

	/**
	 * This request with the given location.
	 * @param location where the box is
	 * @return a copy
	 */
	public ExchangeRequest withGeoip(GeoLocation location) {
		return new ExchangeRequest(this.id, this.ip, this.port, this.connectWs, this.dataPort, this.dataScheme,
				this.metrics, location, this.rankScore, this.rankReasons, this.traffic, this.extra);
	}

	/**
	 * This request with an entrance's rank score and its parts.
	 * @param score the score
	 * @param reasons the parts, in display order
	 * @return a copy
	 */
	public ExchangeRequest withRank(double score, Map<String, Double> reasons) {
		return new ExchangeRequest(this.id, this.ip, this.port, this.connectWs, this.dataPort, this.dataScheme,
				this.metrics, this.geoip, score, reasons, this.traffic, this.extra);
	}

	/**
	 * This request with extra string fields.
	 * @param fields upper-case field names and their values
	 * @return a copy
	 */
	public ExchangeRequest withExtra(Map<String, String> fields) {
		return new ExchangeRequest(this.id, this.ip, this.port, this.connectWs, this.dataPort, this.dataScheme,
				this.metrics, this.geoip, this.rankScore, this.rankReasons, this.traffic, fields);
	}

}
