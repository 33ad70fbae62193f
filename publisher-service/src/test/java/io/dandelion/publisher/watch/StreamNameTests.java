package io.dandelion.publisher.watch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StreamNameTests {

	@Test
	void shouldAcceptLettersDigitsDashAndUnderscore() {
		assertThat(StreamName.of("Demo-1_x").value()).isEqualTo("Demo-1_x");
		assertThat(StreamName.of("a".repeat(StreamName.MAX_LENGTH))).hasToString("a".repeat(StreamName.MAX_LENGTH));
	}

	@Test
	void shouldRefuseAnythingElse() {
		for (String name : new String[] { "", "a.b", "../x", "a/b", "a b", "é", "<b>", "a\nb",
				"a".repeat(StreamName.MAX_LENGTH + 1) }) {
			assertThatExceptionOfType(StreamNameException.class).as(name).isThrownBy(() -> StreamName.of(name));
		}
		assertThatExceptionOfType(StreamNameException.class).isThrownBy(() -> StreamName.of(null));
	}

}
