package io.dandelion.support.geo;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who a request really came from: the connection's address, or, when that is a trusted
 * reverse proxy, the right-most address in {@code X-Forwarded-For} that is not itself a
 * trusted proxy. Anyone else's {@code X-Forwarded-For} is ignored, so that a client
 * cannot choose how it is placed by lying. The one rule for the entrance and the
 * publisher.
 */
public final class TrustedProxies {

	private final Set<InetAddress> trusted = new HashSet<>();

	/**
	 * The given proxies; entries that are not IP literals are ignored (no DNS lookups).
	 * @param proxies the proxies' addresses
	 */
	public TrustedProxies(Collection<String> proxies) {
		for (String proxy : proxies) {
			IpLiterals.parse(proxy.trim()).ifPresent(this.trusted::add);
		}
	}

	/**
	 * The client behind a connection.
	 * @param remote the connection's address
	 * @param forwardedFor the values of every {@code X-Forwarded-For} header, in order
	 * @return the client's address
	 */
	public InetAddress client(InetAddress remote, List<String> forwardedFor) {
		if (!this.trusted.contains(remote)) {
			return remote;
		}
		// Proxies append the address they saw; entries further left are the client's to
		// invent.
		String[] hops = String.join(",", forwardedFor).split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			InetAddress hop = IpLiterals.parse(hops[i].trim()).orElse(null);
			if (hop != null && !this.trusted.contains(hop)) {
				return hop;
			}
		}
		return remote;
	}

}
