package io.dandelion.support.geo;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrustedProxiesTests {

	private final TrustedProxies proxies = new TrustedProxies(List.of("127.0.0.1", " ::1 ", "not-an-address"));

	@Test
	void shouldIgnoreForwardedForFromAnyoneElse() throws Exception {
		InetAddress remote = InetAddress.getByName("203.0.113.7");
		assertThat(this.proxies.client(remote, List.of("198.51.100.1"))).isEqualTo(remote);
	}

	@Test
	void shouldTakeTheRightMostAddressThatIsNoTrustedProxy() throws Exception {
		InetAddress proxy = InetAddress.getByName("127.0.0.1");
		assertThat(this.proxies.client(proxy, List.of("1.2.3.4, 203.0.113.7", "127.0.0.1")))
			.isEqualTo(InetAddress.getByName("203.0.113.7"));
	}

	@Test
	void shouldKeepTheProxyWhenTheHeaderNamesNobodyUsable() throws Exception {
		InetAddress proxy = InetAddress.getByName("::1");
		assertThat(this.proxies.client(proxy, List.of())).isEqualTo(proxy);
		assertThat(this.proxies.client(proxy, List.of("garbage, host.example"))).isEqualTo(proxy);
	}

}
