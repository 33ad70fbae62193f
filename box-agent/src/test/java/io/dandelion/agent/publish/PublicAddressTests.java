package io.dandelion.agent.publish;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.protocol.testing.TestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublicAddressTests {

	private static final String BOX = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	@Test
	void shouldAdvertiseTheBoxItselfWithoutAProxy() {
		PublicAddress address = new PublicAddress(properties("127.0.2.10", null, null), false);
		assertThat(address.ip()).isEqualTo("127.0.2.10");
		assertThat(address.port(43210)).isEqualTo(43210);
		assertThat(address.connectWs(BOX, 43210)).isEqualTo("http://127.0.2.10:43210/dandelion/" + BOX + "/ws/");
	}

	/**
	 * The original publisher's {@code check_is_valid_url}: it never opens a box whose
	 * {@code CONNECT_WS} fails this.
	 */
	@Test
	void shouldAdvertiseAUrlTheOriginalPublisherAccepts() {
		Pattern original = Pattern.compile("https?://(\\d{1,3}(\\.\\d{1,3}){3}|localhost)(:\\d{1,5})?/.+");
		assertThat(new PublicAddress(properties("127.0.2.10", null, null), false).connectWs(BOX, 7071))
			.matches(original);
		assertThat(new PublicAddress(properties("127.0.2.10", null, 7070), false).connectWs(BOX, 7071))
			.matches(original);
	}

	@Test
	void shouldAdvertiseTheTlsProxyWhenThereIsOne() {
		PublicAddress address = new PublicAddress(properties("0.0.0.0", null, 7070), false);
		address.reportedByEntrance("203.0.113.7");
		assertThat(address.port(43210)).isEqualTo(7070);
		assertThat(address.connectWs(BOX, 43210)).isEqualTo("https://203.0.113.7:7070/dandelion/" + BOX + "/ws/");
	}

	@Test
	void shouldPreferTheConfiguredThenTheReportedThenTheBoundAddress() {
		assertThat(new PublicAddress(properties("0.0.0.0", null, null), false).ip()).isEqualTo("127.0.0.1");
		PublicAddress bound = new PublicAddress(properties("127.0.3.10", null, null), false);
		bound.reportedByEntrance("not-an-ip.example.org");
		assertThat(bound.ip()).isEqualTo("127.0.3.10");
		bound.reportedByEntrance("2001:db8::7");
		assertThat(bound.ip()).isEqualTo("2001:db8::7");
		assertThat(bound.connectWs(BOX, 7071)).startsWith("http://[2001:db8::7]:7071/");
		PublicAddress configured = new PublicAddress(properties("127.0.3.10", "198.51.100.7", null), false);
		configured.reportedByEntrance("203.0.113.7");
		assertThat(configured.ip()).isEqualTo("198.51.100.7");
	}

	@Test
	void shouldAdvertiseHttpsWhenTheBoxServesTlsItself() {
		assertThat(new PublicAddress(properties("127.0.2.10", null, null), true).connectWs(BOX, 7071))
			.isEqualTo("https://127.0.2.10:7071/dandelion/" + BOX + "/ws/");
		assertThat(new PublicAddress(properties("127.0.2.10", null, null), false).connectWs(BOX, 7071))
			.startsWith("http://127.0.2.10:7071/");
	}

	private static BoxProperties properties(String serverIp, String clientIp, Integer proxyPort) {
		Map<String, String> properties = new HashMap<>(Map.of("box.server-ip", serverIp));
		if (clientIp != null) {
			properties.put("box.client-ip", clientIp);
		}
		if (proxyPort != null) {
			properties.put("box.server-proxy-port", proxyPort.toString());
		}
		return TestProperties.bind("box", BoxProperties.class, properties);
	}

}
