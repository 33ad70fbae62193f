package io.dandelion.support.geo;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The literal syntax {@link IpLiterals} accepts, compared with what the JDK makes of the
 * same text.
 */
class IpLiteralsTests {

	@ParameterizedTest
	@CsvSource({ "0.0.0.0, 0.0.0.0", "255.255.255.255, 255.255.255.255", "127.0.2.10, 127.0.2.10",
			"' 8.8.8.8 ', 8.8.8.8", "::, 0:0:0:0:0:0:0:0", "::1, 0:0:0:0:0:0:0:1", "2001:db8::1, 2001:db8:0:0:0:0:0:1",
			"2001:DB8:0:0:8:800:200C:417A, 2001:db8:0:0:8:800:200c:417a", "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
			"::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8", "::ffff:1.2.3.4, 1.2.3.4",
			"64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221", "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304" })
	void shouldReadLiterals(String text, String expected) {
		InetAddress address = IpLiterals.parse(text).orElseThrow();
		assertThat(address.getHostAddress()).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1", "1.2.3", "1.2.3.", ".1.2.3", "1..2.3", "256.1.1.1", "01.1.1.1", "1.2.3.-4",
			"1.2.3.4 5", "0x7f.0.0.1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":1::", "1::2:", "::12345",
			"g::1", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1.2.3.4::", "fe80::1%1", "[::1", "::1]", "[::1]", "localhost",
			"\uff11.1.1.1", "::\uff11" })
	void shouldRefuseAnythingElse(String text) {
		assertThat(IpLiterals.parse(text)).isEmpty();
	}

}
