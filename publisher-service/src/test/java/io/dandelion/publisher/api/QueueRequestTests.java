package io.dandelion.publisher.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.codec.DecodingException;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The body of {@code POST /api/v1/files} binds as the original's producers write it: the
 * TTL as a whole number or a string of digits, every other key kept in order, and a value
 * of the wrong kind refused with the key it is about.
 */
class QueueRequestTests {

	private final ObjectMapper mapper = new ObjectMapper();

	@Test
	void shouldKeepTheExtraKeysButThePublishersOwn() throws Exception {
		QueueRequest request = read("{\"FILE_PATH\":\"/tmp/hls/a.ts\",\"STREAM\":\"alice\",\"TTL\":5,"
				+ "\"DANDELION_NAME\":\"/evil\",\"X\":{\"nested\":[1,{\"b\":null}]}}");
		assertThat(request.filePath()).isEqualTo("/tmp/hls/a.ts");
		assertThat(request.ttlSeconds()).isEqualTo(5);
		assertThat(request.extraKeys()).containsOnly(Map.entry("STREAM", "alice"),
				Map.entry("X", Map.of("nested", List.of(1, Collections.singletonMap("b", null)))));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "60", "2147483647", "\"60\"", "\" 60 \"", "1e9", "60.0" })
	void shouldTakeAWholeNumberOfSeconds(String ttl) throws Exception {
		assertThat(read("{\"TTL\":" + ttl + "}").ttlSeconds()).isBetween(0L, (long) Integer.MAX_VALUE);
	}

	@Test
	void shouldDefaultTheTtlToTheOriginals() throws Exception {
		assertThat(read("{}").ttlSeconds()).isEqualTo(60);
		assertThat(read("{\"TTL\":null}").ttlSeconds()).isEqualTo(60);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "2147483648", "1.5", "\"abc\"", "\"1e9\"", "true", "[]", "{}", "\"-1\"", "\"\"",
			"1e400", "-0.5", "\"0x10\"", "99999999999999999999" })
	void shouldRefuseAnythingElseAsTheTtl(String ttl) {
		assertThat(refusal("{\"FILE_PATH\":\"/tmp/a\",\"TTL\":" + ttl + "}")).startsWith("TTL must be");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "{}" })
	void shouldRefuseAFilePathThatIsNoString(String filePath) {
		assertThat(refusal("{\"FILE_PATH\":" + filePath + "}")).contains("FILE_PATH");
	}

	private QueueRequest read(String json) throws Exception {
		return this.mapper.readValue(json, QueueRequest.class);
	}

	/** The detail of the 400 a body gets, wrapped as WebFlux wraps a decoding error. */
	private String refusal(String json) {
		JsonMappingException mapping = assertThrows(JsonMappingException.class, () -> read(json));
		Throwable refusal = QueueRequest.refusal(new ServerWebInputException("Failed to read HTTP message", null,
				new DecodingException("JSON decoding error", mapping)));
		assertThatExceptionOfType(InvalidFileException.class).isThrownBy(() -> {
			throw refusal;
		});
		return ((InvalidFileException) refusal).getBody().getDetail();
	}

}
