package io.dandelion.publisher.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.WebSocketPaths;

import org.springframework.web.util.UriUtils;

/**
 * A box as the last SEARCH reply that listed it described it.
 *
 * @param id the box's ID
 * @param ip the box's public address
 * @param connectWs the box's WebSocket URL for publishers, {@code ws(s)://} (the wire's
 * {@code CONNECT_WS} says {@code http(s)://})
 * @param dataPort the port viewers fetch files from ({@code DATA_PORT}, else the
 * original's 7072)
 * @param location where the entrance placed the box, may be {@code null}
 * @param entranceScore the entrance's {@code RANK_SCORE}, 0.5 when absent
 * @param load the share of its uplink the box serves, in [0, 1], 0.5 when unknown
 * @param exchange the box's exchange data as flat strings, as stored in
 * {@code {pub}:SEARCH:{box}}
 */
public record BoxCandidate(String id, String ip, URI connectWs, int dataPort, GeoLocation location,
		double entranceScore, double load, Map<String, String> exchange) {

	/** The data port of the original's boxes, when a box does not tell its own. */
	public static final int DEFAULT_DATA_PORT = 7072;

	/**
	 * A candidate from a SEARCH reply's {@code BOX_SET} entry.
	 * @param box the entry
	 * @param flat the entry as flat strings
	 * @return the candidate, or {@code null} when it has no usable WebSocket URL
	 */
	static BoxCandidate of(ExchangeRequest box, Map<String, String> flat) {
		if (box.connectWs() == null || box.ip() == null) {
			return null;
		}
		URI uri;
		try {
			URI advertised = new URI(box.connectWs());
			if (advertised.getHost() == null) {
				return null;
			}
			// The wire says http(s), as the original's publishers need; a WebSocket
			// client opens ws(s).
			uri = new URI(WebSocketPaths.webSocketScheme(advertised.getScheme()) + ":"
					+ advertised.getRawSchemeSpecificPart());
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			return null;
		}
		int dataPort = (box.dataPort() != null) ? box.dataPort() : DEFAULT_DATA_PORT;
		double score = (box.rankScore() != null) ? box.rankScore() : 0.5;
		Double served = box.metrics().servedBytesPerSecond() != null
				? box.metrics().servedBytesPerSecond().doubleValue() : null;
		Double uplink = box.metrics().uplinkMbps();
		double load = (served != null && uplink != null && uplink > 0)
				? Math.min(1, Math.max(0, 8 * served / (uplink * 1_000_000))) : 0.5;
		return new BoxCandidate(box.id(), box.ip(), uri, dataPort, box.geoip(), score, load, Map.copyOf(flat));
	}

	/**
	 * The network the box is on, for spreading replicas: the IPv4 /24 or the IPv6 /48.
	 * @return e.g. {@code 203.0.113}
	 */
	public String network() {
		if (this.ip.contains(":")) {
			String[] parts = this.ip.split(":", -1);
			return String.join(":", java.util.Arrays.copyOf(parts, Math.min(3, parts.length)));
		}
		int last = this.ip.lastIndexOf('.');
		return (last > 0) ? this.ip.substring(0, last) : this.ip;
	}

	/**
	 * Where viewers fetch a file of the given publisher from this box.
	 * @param publisherId the publisher
	 * @param filePath the file's {@code FILE_PATH}, its public name
	 * @return {@code http://{ip}:{data port}/{publisher-id}{FILE_PATH}}, the path
	 * percent-encoded where a URL needs it
	 */
	public String fileUrl(String publisherId, String filePath) {
		String host = this.ip.contains(":") ? "[" + this.ip + "]" : this.ip;
		String path = filePath.startsWith("/") ? filePath : "/" + filePath;
		return "http://" + host + ":" + this.dataPort + "/" + publisherId
				+ UriUtils.encodePath(path, StandardCharsets.UTF_8);
	}

}
