package io.dandelion.entrance.peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

import org.springframework.web.reactive.socket.HandshakeInfo;

import io.dandelion.support.geo.TrustedProxies;

/**
 * The other end of a WebSocket session, as far as the entrance can tell: the address it
 * connected from, or, behind a trusted reverse proxy, the client address that proxy
 * reports.
 *
 * @param address the peer's IP address as text
 * @param global whether that address is a global one (not loopback, private or
 * link-local), i.e. worth a GeoIP lookup and trustworthy as the peer's public address
 */
public record Peer(String address, boolean global) {

	public Peer {
		Objects.requireNonNull(address, "address");
	}

	/**
	 * The peer of a session.
	 * @param handshake the session's handshake
	 * @param proxies the reverse proxies whose {@code X-Forwarded-For} header is believed
	 * @return the peer
	 */
	public static Peer of(HandshakeInfo handshake, TrustedProxies proxies) {
		InetSocketAddress remote = handshake.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return new Peer("unknown", false);
		}
		InetAddress client = proxies.client(remote.getAddress(), handshake.getHeaders().getOrEmpty("X-Forwarded-For"));
		return new Peer(client.getHostAddress(), isGlobal(client));
	}

	private static boolean isGlobal(InetAddress address) {
		return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress());
	}

	/**
	 * The address to place the peer by: what it connected from when that is a global
	 * address, else what it says it is (on a LAN or loopback, the connection tells
	 * nothing about where the peer is).
	 * @param reportedIp the {@code IP} the peer sent
	 * @return the address to look up
	 */
	public String locationAddress(String reportedIp) {
		return (this.global || reportedIp == null) ? this.address : reportedIp;
	}

}
