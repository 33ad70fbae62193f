package io.dandelion.publisher.locate;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.geo.TrustedProxies;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The viewer's address, as {@link TrustedProxies} ({@code PUBLISHER_TRUSTED_PROXIES})
 * tells it.
 */
@Component
public class ViewerAddress {

	private final TrustedProxies proxies;

	ViewerAddress(PublisherProperties properties) {
		this.proxies = new TrustedProxies(properties.trustedProxies());
	}

	/**
	 * The address a request came from.
	 * @param request the request
	 * @return the viewer's address, empty when unknown
	 */
	public Optional<String> of(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return Optional.empty();
		}
		return Optional.of(this.proxies.client(remote.getAddress(), request.getHeaders().getOrEmpty("X-Forwarded-For"))
			.getHostAddress());
	}

}
