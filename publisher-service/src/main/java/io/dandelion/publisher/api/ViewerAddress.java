package io.dandelion.publisher.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.dandelion.protocol.geo.IpLiterals;
import io.dandelion.publisher.system.PublisherProperties;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The viewer's address: the connection's, or, when the connection comes from a trusted
 * proxy ({@code PUBLISHER_TRUSTED_PROXIES}), the right-most address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Anyone else's
 * {@code X-Forwarded-For} is ignored, so a viewer cannot choose its box by lying.
 */
@Component
class ViewerAddress {

	private final Set<InetAddress> trusted = new HashSet<>();

	ViewerAddress(PublisherProperties properties) {
		for (String proxy : properties.trustedProxies()) {
			IpLiterals.parse(proxy.trim()).ifPresent(this.trusted::add);
		}
	}

	Optional<String> of(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return Optional.empty();
		}
		InetAddress address = remote.getAddress();
		if (!this.trusted.contains(address)) {
			return Optional.of(address.getHostAddress());
		}
		List<String> forwarded = request.getHeaders().getOrEmpty("X-Forwarded-For");
		String[] hops = String.join(",", forwarded).split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			Optional<InetAddress> hop = IpLiterals.parse(hops[i].trim());
			if (hop.isPresent() && !this.trusted.contains(hop.get())) {
				return Optional.of(hop.get().getHostAddress());
			}
		}
		return Optional.of(address.getHostAddress());
	}

}
