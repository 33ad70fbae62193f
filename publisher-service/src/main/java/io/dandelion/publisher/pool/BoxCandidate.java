package io.dandelion.publisher.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;

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
 * @param dataScheme how they fetch from it: {@code https} when the box says
 * {@code DATA_SCHEME: https}, else {@code http} (never read off {@code CONNECT_WS}: the
 * original's boxes wrote {@code https://} there and served plain HTTP)
 * @param location where the entrance placed the box, may be {@code null}
 * @param entranceScore the entrance's {@code RANK_SCORE}, 0.5 when absent
 * @param load the share of its uplink the box serves, in [0, 1], 0.5 when unknown
 * @param exchange the box's exchange data as flat strings, as stored in
 * {@code {pub}:SEARCH:{box}}: without the fields of trust (see
 * {@link MessageAuth#RESERVED_FIELDS}), which the original's tools reading that hash have
 * no use for
 * @param publishTicket the entrance's permission to publish to the box
 * ({@code PUBLISH_TICKET}), sent in PUBLISH; {@code null} when the entrance gave none
 * @param urlSecret the secret viewer URLs of the box's files are signed with
 * ({@code URL_SECRET}); {@code null} when the entrance gave none
 */
public record BoxCandidate(String id, String ip, URI connectWs, int dataPort, String dataScheme, GeoLocation location,
		double entranceScore, double load, Map<String, String> exchange, String publishTicket, String urlSecret) {

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
			// A box advertising no usable URL is no candidate, as documented
			return null;
		}
		int dataPort = (box.dataPort() != null) ? box.dataPort() : DEFAULT_DATA_PORT;
		String dataScheme = box.servesDataOverTls() ? ExchangeRequest.TLS_DATA : ExchangeRequest.PLAIN_DATA;
		double score = (box.rankScore() != null) ? box.rankScore() : 0.5;
		Double served = box.metrics().servedBytesPerSecond() != null
				? box.metrics().servedBytesPerSecond().doubleValue() : null;
		Double uplink = box.metrics().uplinkMbps();
		double load = (served != null && uplink != null && uplink > 0)
				? Math.min(1, Math.max(0, 8 * served / (uplink * 1_000_000))) : 0.5;
		Map<String, String> exchange = new HashMap<>(flat);
		exchange.keySet().removeAll(MessageAuth.RESERVED_FIELDS);
		return new BoxCandidate(box.id(), box.ip(), uri, dataPort, dataScheme, box.geoip(), score, load,
				Map.copyOf(exchange), nonBlank(box.extra().get(PublishTicket.FIELD)),
				nonBlank(box.extra().get(ViewerUrlSignature.SECRET_FIELD)));
	}

	private static String nonBlank(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/**
	 * This listing of the box, keeping the ticket and URL secret of an earlier one where
	 * this one has none: an entrance that hands out none (an original one, or one in
	 * compatible mode without this publisher's credential) does not take away what
	 * another gave.
	 * @param earlier the box's previous listing, may be {@code null}
	 * @return the candidate to use
	 */
	BoxCandidate orTrustOf(BoxCandidate earlier) {
		if (earlier == null || (this.publishTicket != null && this.urlSecret != null)) {
			return this;
		}
		return new BoxCandidate(this.id, this.ip, this.connectWs, this.dataPort, this.dataScheme, this.location,
				this.entranceScore, this.load, this.exchange,
				(this.publishTicket != null) ? this.publishTicket : earlier.publishTicket,
				(this.urlSecret != null) ? this.urlSecret : earlier.urlSecret);
	}

	/**
	 * The network the box is on, for spreading replicas: the IPv4 /24 or the IPv6 /48.
	 * @return e.g. {@code 203.0.113}
	 */
	public String network() {
		if (this.ip.contains(":")) {
			String[] parts = this.ip.split(":", -1);
			return String.join(":", Arrays.copyOf(parts, Math.min(3, parts.length)));
		}
		int last = this.ip.lastIndexOf('.');
		return (last > 0) ? this.ip.substring(0, last) : this.ip;
	}

	/**
	 * The path of a file of the given publisher on this box, as the box's file server
	 * sees it once decoded (nginx's {@code $uri}), which viewer URL signatures cover.
	 * @param publisherId the publisher
	 * @param filePath the file's {@code FILE_PATH}, its public name (canonical)
	 * @return {@code /{publisher-id}{FILE_PATH}}, not encoded
	 */
	public static String filePath(String publisherId, String filePath) {
		return "/" + publisherId + (filePath.startsWith("/") ? filePath : "/" + filePath);
	}

	/**
	 * Where a file of the given publisher is on this box, unsigned: {@link ViewerUrls}
	 * gives the URLs that leave the publisher.
	 * @param publisherId the publisher
	 * @param filePath the file's {@code FILE_PATH}, its public name
	 * @return {@code {data scheme}://{ip}:{data port}/{publisher-id}{FILE_PATH}}, the
	 * path percent-encoded where a URL needs it
	 */
	String fileUrl(String publisherId, String filePath) {
		return dataOrigin() + UriUtils.encodePath(filePath(publisherId, filePath), StandardCharsets.UTF_8);
	}

	/**
	 * Where the box's file server is, the one place that decides a box URL's scheme.
	 * @return {@code http(s)://{ip}:{data port}}
	 */
	public String dataOrigin() {
		String host = this.ip.contains(":") ? "[" + this.ip + "]" : this.ip;
		return this.dataScheme + "://" + host + ":" + this.dataPort;
	}

	@Override
	public String toString() {
		// Never the ticket nor the secret: candidates may end up in log lines
		return "BoxCandidate[id=" + this.id + ", ip=" + this.ip + ", connectWs=" + this.connectWs + ", dataPort="
				+ this.dataPort + ", dataScheme=" + this.dataScheme + ", entranceScore=" + this.entranceScore
				+ ", publishTicket=" + ((this.publishTicket != null) ? "***" : "none") + ", urlSecret="
				+ ((this.urlSecret != null) ? "***" : "none") + "]";
	}

}
