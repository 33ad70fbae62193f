package io.dandelion.publisher.locate;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.testing.TestProperties;
import io.dandelion.publisher.config.PublisherProperties;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ViewerAddressTests {

	private final ViewerAddress viewers = new ViewerAddress(properties(List.of("127.0.0.1", "10.0.0.2")));

	@Test
	void shouldIgnoreForwardedForFromUntrustedClients() {
		assertThat(this.viewers.of(request("198.51.100.7", "203.0.113.9"))).contains("198.51.100.7");
	}

	@Test
	void shouldTakeTheRightmostUntrustedHopFromATrustedProxy() {
		assertThat(this.viewers.of(request("127.0.0.1", "192.0.2.1, 203.0.113.9, 10.0.0.2"))).contains("203.0.113.9");
	}

	@Test
	void shouldFallBackToTheProxyWhenItForwardsNothingUsable() {
		assertThat(this.viewers.of(request("127.0.0.1", "unknown"))).contains("127.0.0.1");
	}

	private static MockServerHttpRequest request(String remote, String forwardedFor) {
		return MockServerHttpRequest.get("/r/a.ts")
			.remoteAddress(new InetSocketAddress(remote, 40000))
			.header("X-Forwarded-For", forwardedFor)
			.build();
	}

	private static PublisherProperties properties(List<String> trusted) {
		Map<String, String> properties = new HashMap<>();
		for (int i = 0; i < trusted.size(); i++) {
			properties.put("publisher.trusted-proxies[" + i + "]", trusted.get(i));
		}
		return TestProperties.bind("publisher", PublisherProperties.class, properties);
	}

}
