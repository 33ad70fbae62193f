package io.dandelion.publisher.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.dandelion.publisher.system.PublisherProperties;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.unit.DataSize;

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
		return new PublisherProperties(null, 20, Duration.ofSeconds(10), List.of(), Path.of("/tmp"), null, trusted,
				null, List.of(),
				new PublisherProperties.Pool(Duration.ofSeconds(2), 4, Duration.ofMillis(500), Duration.ofSeconds(30),
						Duration.ofMillis(500), 3),
				new PublisherProperties.Publish(2, 8, Duration.ofSeconds(30), 10, DataSize.ofMegabytes(64),
						Duration.ofSeconds(15), Duration.ofHours(1)));
	}

}
