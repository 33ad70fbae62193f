package io.dandelion.protocol.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UntrustedTextTests {

	@Test
	void shouldQuoteAndEscapeWhatCouldForgeALogLine() {
		assertThat(UntrustedText.quote("a\nb\"c\\d\u00e9")).isEqualTo("\"a\\u000ab\\\"c\\\\d\\u00e9\"");
	}

	@Test
	void shouldCutLongText() {
		assertThat(UntrustedText.quote("x".repeat(100))).isEqualTo("\"" + "x".repeat(80) + "\"...");
		assertThat(UntrustedText.quote("abcdef", 3)).isEqualTo("\"abc\"...");
	}

	@Test
	void shouldSayNullForNull() {
		assertThat(UntrustedText.quote(null)).isEqualTo("null");
	}

}
