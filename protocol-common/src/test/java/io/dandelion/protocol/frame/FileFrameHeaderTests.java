package io.dandelion.protocol.frame;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FileFrameHeaderTests {

	@Test
	void shouldDefaultToSixtySecondsAndNoExtras() {
		FileFrameHeader header = new FileFrameHeader("/x.ts");
		assertThat(header.ttl()).isEqualTo(Duration.ofSeconds(60)).isEqualTo(FileFrameHeader.DEFAULT_TTL);
		assertThat(header.sha256()).isNull();
		assertThat(header.extra()).isEmpty();
		assertThat(header.keepForever()).isFalse();
	}

	@Test
	void shouldKeepForeverWhenTtlIsZero() {
		assertThat(new FileFrameHeader("/x.ts", Duration.ZERO).keepForever()).isTrue();
	}

	@Test
	void shouldTreatNullExtrasAsEmpty() {
		assertThat(new FileFrameHeader("/x.ts", Duration.ZERO, null, null).extra()).isEmpty();
	}

	@Test
	void shouldRefuseInvalidComponents() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new FileFrameHeader(null));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new FileFrameHeader("/x", null));
		assertThatIllegalArgumentException().isThrownBy(() -> new FileFrameHeader(""));
		assertThatIllegalArgumentException().isThrownBy(() -> new FileFrameHeader("/x\uD800"));
		assertThatIllegalArgumentException().isThrownBy(() -> new FileFrameHeader("/x", Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new FileFrameHeader("/x", Duration.ofMillis(1500)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", FileFrameHeader.MAX_TTL.plusSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", Duration.ZERO, "ABCDEF", Map.of()));
	}

	@Test
	void shouldRefuseReservedOrNonJsonExtras() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", Duration.ZERO, null, Map.of("TTL", 5)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", Duration.ZERO, null, Map.of("A", new Object())));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", Duration.ZERO, null, Map.of("A", Double.NaN)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", Duration.ZERO, null, Map.of("A", List.of("\uDC00"))));
		Map<Object, Object> nonStringKey = new HashMap<>();
		nonStringKey.put(1, 1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FileFrameHeader("/x", Duration.ZERO, null, Map.of("A", nonStringKey)));
	}

	@Test
	void shouldCopyExtrasDeeplyAndKeepOrderAndNulls() {
		List<Object> list = new ArrayList<>(List.of(1));
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("Z", list);
		extra.put("A", null);
		extra.put("M", new BigDecimal("1.50"));
		FileFrameHeader header = new FileFrameHeader("/x", Duration.ZERO, null, extra);
		list.add(2);
		extra.put("B", 1);
		assertThat(header.extra().keySet()).containsExactly("Z", "A", "M");
		assertThat(header.extra().get("Z")).isEqualTo(List.of(1));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> header.extra().put("C", 1));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ((List<?>) header.extra().get("Z")).clear());
	}

}
