package io.dandelion.support.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ValueTypeTests {

	@ParameterizedTest
	@ValueSource(strings = { "0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1", "2001:db8::8a2e:370:7334",
			"::ffff:192.0.2.1" })
	void shouldAcceptIpLiterals(String text) {
		assertThat(ValueType.ipAddress(false).convert(text)).isEqualTo(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "256.0.0.1", "1.2.3", "01.2.3.4", "localhost", "example.com", "1.2.3.4.5", ":::1:::",
			"2001:db8::zz", "" })
	void shouldRejectWhatIsNotAnIpLiteral(String text) {
		assertThat(ValueType.ipAddress(false).convert(text)).isNull();
	}

	@Test
	void shouldAcceptEmptyIpWhenAllowed() {
		assertThat(ValueType.ipAddress(true).convert("")).isEmpty();
		assertThat(ValueType.ipAddress(true).convert("example.com")).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "1,1", "7071,7071", "65535,65535", "' 80 ',80", "+443,443" })
	void shouldAcceptPorts(String text, String expected) {
		assertThat(ValueType.port().convert(text)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "65536", "-1", "abc", "80.0", "", "99999999999" })
	void shouldRejectBadPorts(String text) {
		assertThat(ValueType.port().convert(text)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "0,0s", "5,5s", "120,120s", "1.5,1500ms", "0.25,250ms", "10.0,10s" })
	void shouldConvertSecondsToDurations(String text, String expected) {
		assertThat(ValueType.seconds().convert(text)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "abc", "5s", "", "1e3" })
	void shouldRejectBadSeconds(String text) {
		assertThat(ValueType.seconds().convert(text)).isNull();
	}

	@Test
	void shouldCheckIntegerBounds() {
		assertThat(ValueType.positiveInt().convert("20")).isEqualTo("20");
		assertThat(ValueType.positiveInt().convert("0")).isNull();
		assertThat(ValueType.positiveInt().convert("2147483648")).isNull();
		assertThat(ValueType.nonNegativeInt().convert("0")).isEqualTo("0");
		assertThat(ValueType.nonNegativeInt().convert("-3")).isNull();
		assertThat(ValueType.nonNegativeInt().convert("three")).isNull();
	}

	@Test
	void shouldTakeNonNegativeDecimals() {
		assertThat(ValueType.nonNegativeDecimal().convert("1")).isEqualTo("1");
		assertThat(ValueType.nonNegativeDecimal().convert(" 0.35 ")).isEqualTo("0.35");
		assertThat(ValueType.nonNegativeDecimal().convert("+2.")).isEqualTo("2.");
		assertThat(ValueType.nonNegativeDecimal().convert("0")).isEqualTo("0");
		assertThat(ValueType.nonNegativeDecimal().convert("-1")).isNull();
		assertThat(ValueType.nonNegativeDecimal().convert("1e3")).isNull();
		assertThat(ValueType.nonNegativeDecimal().convert("NaN")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://1.2.3.4:7071/dandelion/ws/", "https://entrance.example.org/dandelion/ws/",
			"ws://[::1]:7071/dandelion/ws/", "WSS://host/x" })
	void shouldAcceptUrls(String text) {
		assertThat(ValueType.url().convert(text)).isEqualTo(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://host/", "/dandelion/ws/", "http://", "http://bad host/", "not a url", "" })
	void shouldRejectBadUrls(String text) {
		assertThat(ValueType.url().convert(text)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1:7001", "redis-1:6379", "redis.example.org:6380", "[::1]:7001" })
	void shouldAcceptHostPorts(String text) {
		assertThat(ValueType.hostPort().convert(" " + text)).isEqualTo(text);
		assertThat(ValueType.hostPortList().element().convert(text)).isEqualTo(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "redis-1:", ":6379", "redis-1:0", "redis-1:65536", "bad host:1",
			"redis://redis-1:6379", "::1:7001", "" })
	void shouldRejectBadHostPorts(String text) {
		assertThat(ValueType.hostPort().convert(text)).isNull();
	}

	@Test
	void shouldDescribeUrlListsAsLists() {
		ValueType type = ValueType.urlList();
		assertThat(type.isList()).isTrue();
		assertThat(type.element().expected()).isEqualTo("an http, https, ws or wss URL");
		assertThatIllegalStateException().isThrownBy(() -> type.convert("http://x/"));
		assertThat(ValueType.split(" http://a/ , ,http://b/")).containsExactly("http://a/", "http://b/");
	}

	@Test
	void shouldAcceptPaths() {
		assertThat(ValueType.path().convert("/tmp")).isEqualTo("/tmp");
		assertThat(ValueType.path().convert("data/box")).isEqualTo("data/box");
		assertThat(ValueType.path().convert(" ")).isNull();
		assertThat(ValueType.path().convert("a\0b")).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "1048576,1048576B", "64MB,64MB", "64mb,64MB", "'1 GB',1GB", "10B,10B" })
	void shouldConvertByteSizes(String text, String expected) {
		assertThat(ValueType.byteSize().convert(text)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "64 MiB", "1.5MB", "lots", "" })
	void shouldRejectBadByteSizes(String text) {
		assertThat(ValueType.byteSize().convert(text)).isNull();
	}

	@Test
	void shouldConvertBooleans() {
		assertThat(ValueType.bool().convert("yes")).isEqualTo("true");
		assertThat(ValueType.bool().convert("Off")).isEqualTo("false");
		assertThat(ValueType.bool().convert("TRUE")).isEqualTo("true");
		assertThat(ValueType.bool().convert("1")).isNull();
	}

	@Test
	void shouldConvertEnumsToTheirNames() {
		ValueType type = ValueType.oneOf(TimeUnit.class);
		assertThat(type.convert("seconds")).isEqualTo("SECONDS");
		assertThat(type.convert("fortnights")).isNull();
		assertThat(ValueType.oneOf("info", "debug").expected()).isEqualTo("one of info, debug");
	}

	@Test
	void shouldTurnANameIntoTheTextSpringBindsForIt() {
		Map<String, String> choices = new LinkedHashMap<>();
		choices.put("text", "");
		choices.put("json", "ecs");
		ValueType type = ValueType.oneOf(choices);
		assertThat(type.convert(" JSON ")).isEqualTo("ecs");
		assertThat(type.convert("text")).isEmpty();
		assertThat(type.convert("ecs")).isNull();
		assertThat(type.expected()).isEqualTo("one of text, json");
	}

	@Test
	void shouldKeepStrings() {
		assertThat(ValueType.string().convert("0123")).isEqualTo("0123");
	}

}
