package io.dandelion.entrance.ranking;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

import io.dandelion.support.geo.IpLiterals;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.GeoLocation;

/**
 * A live box as the ranking sees it: its last heartbeat, when that arrived and when the
 * box expires without another.
 *
 * @param box the box's last EXCHANGE; its {@code geoip()} should be the entrance's own
 * lookup and may be {@code null}
 * @param lastSeen when the entrance received that heartbeat
 * @param expiresAt when the box drops out of the directory unless it heartbeats again
 * @param measured figures the entrance measured itself rather than read from the
 * heartbeat (e.g. {@link RankingPart#TTFB_MS} from a dial-back probe), by name, for
 * ranking parts to use; never {@code null}
 */
public record Candidate(ExchangeRequest box, Instant lastSeen, Instant expiresAt, Map<String, Double> measured) {

	public Candidate {
		Objects.requireNonNull(box, "box");
		Objects.requireNonNull(lastSeen, "lastSeen");
		Objects.requireNonNull(expiresAt, "expiresAt");
		measured = (measured != null) ? Map.copyOf(measured) : Map.of();
	}

	/**
	 * A candidate with no measured figures.
	 * @param box the box's last EXCHANGE
	 * @param lastSeen when it arrived
	 * @param expiresAt when the box expires
	 * @return the candidate
	 */
	public static Candidate of(ExchangeRequest box, Instant lastSeen, Instant expiresAt) {
		return new Candidate(box, lastSeen, expiresAt, null);
	}

	/**
	 * The box's ID.
	 * @return the ID
	 */
	public String id() {
		return this.box.id();
	}

	/**
	 * One measured figure, if known and finite.
	 * @param name the figure's name, e.g. {@link RankingPart#TTFB_MS}
	 * @return the figure, or empty
	 */
	public OptionalDouble measurement(String name) {
		Double value = this.measured.get(name);
		return (value != null && Double.isFinite(value)) ? OptionalDouble.of(value) : OptionalDouble.empty();
	}

	/**
	 * The network the box sits in, for the per-network caps.
	 * @return as {@link #networkOf(ExchangeRequest)}
	 */
	String network() {
		return networkOf(this.box);
	}

	/**
	 * The network a box sits in, for the per-network caps of SEARCH replies and of
	 * registration: its IPv4 /24 or IPv6 /48. The entrance's own lookup address comes
	 * first, because a box behind NAT may advertise a private address that thousands of
	 * households share. A box without a usable address forms a network of its own.
	 * @param box the box's EXCHANGE, with the entrance's own GeoIP lookup
	 * @return e.g. {@code 203.0.113.0/24}, {@code 2001:db8:1::/48} or {@code box:{id}}
	 */
	public static String networkOf(ExchangeRequest box) {
		GeoLocation geoip = box.geoip();
		Optional<InetAddress> address = IpLiterals.parse((geoip != null) ? geoip.ip() : null)
			.or(() -> IpLiterals.parse(box.ip()));
		if (address.isEmpty()) {
			return "box:" + box.id();
		}
		byte[] bytes = address.get().getAddress();
		if (address.get() instanceof Inet4Address) {
			return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24";
		}
		return String.format("%x:%x:%x::/48", group(bytes, 0), group(bytes, 1), group(bytes, 2));
	}

	private static int group(byte[] bytes, int index) {
		return ((bytes[2 * index] & 0xff) << 8) | (bytes[2 * index + 1] & 0xff);
	}

}
