package io.dandelion.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dandelion.protocol.frame.FileFrame;
import io.dandelion.protocol.frame.FileFrameCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message the original's own nodes sent us when run against our services
 * ({@code fixtures/captured/README.md}) is read as the message it is.
 */
class OriginalMessagesTests {

	private final MessageCodec codec = new MessageCodec();

	static Stream<Arguments> captured() {
		return Stream.of(Arguments.of("original-box-EXCHANGE.json", ExchangeRequest.class),
				Arguments.of("original-box-EXCHANGE-top-KiB.json", ExchangeRequest.class),
				Arguments.of("original-box-EXCHANGE-with-TRAFFIC_FLOW.json", ExchangeRequest.class),
				Arguments.of("original-box-PUBLISH-reply.json", PublishReply.class),
				Arguments.of("original-box-ERROR-reply.json", ErrorReply.class),
				Arguments.of("original-entrance-EXCHANGE-reply.json", ExchangeReply.class),
				Arguments.of("original-entrance-EXCHANGE-reply-with-other-urls.json", ExchangeReply.class),
				Arguments.of("original-entrance-EXCHANGE-reply-ENTRANCE_IP-unset.json", ExchangeReply.class),
				Arguments.of("original-entrance-SEARCH-reply.json", SearchReply.class),
				Arguments.of("original-entrance-ERROR-reply.json", ErrorReply.class),
				Arguments.of("original-entrance-ERROR-reply-ENTRANCE_IP-unset.json", ErrorReply.class),
				Arguments.of("original-publisher-SEARCH.json", SearchRequest.class),
				Arguments.of("original-publisher-PUBLISH.json", PublishRequest.class));
	}

	@ParameterizedTest
	@MethodSource("captured")
	void shouldReadEveryMessageTheOriginalSent(String name, Class<? extends Message> type) {
		assertThat(this.codec.decode(captured(name))).isInstanceOf(type);
	}

	@Test
	void shouldReadTheMemoryOfAnOriginalBoxOnACurrentDebian() {
		ExchangeRequest exchange = (ExchangeRequest) this.codec.decode(captured("original-box-EXCHANGE.json"));
		assertThat(exchange.metrics().memoryTotalKib()).isEqualTo(24105L);
		assertThat(exchange.metrics().memoryAvailableKib()).isEqualTo(6240L);
		assertThat(exchange.connectWs()).startsWith("https://127.0.0.1:");
		ExchangeRequest kib = (ExchangeRequest) this.codec.decode(captured("original-box-EXCHANGE-top-KiB.json"));
		assertThat(kib.metrics().memoryTotalKib()).isEqualTo(24683748L);
	}

	@Test
	void shouldReadTheTrafficOfAnOriginalBox() {
		ExchangeRequest exchange = (ExchangeRequest) this.codec
			.decode(captured("original-box-EXCHANGE-with-TRAFFIC_FLOW.json"));
		assertThat(exchange.traffic()).singleElement().satisfies((entry) -> {
			assertThat(entry.status()).isEqualTo(200);
			assertThat(entry.size()).isEqualTo(812345);
		});
	}

	@Test
	void shouldReadWhatAnOriginalEntranceHandsOutWithoutItsOwnInfo() {
		ExchangeReply reply = (ExchangeReply) this.codec
			.decode(captured("original-entrance-EXCHANGE-reply-ENTRANCE_IP-unset.json"));
		assertThat(reply.accepted()).isTrue();
		assertThat(reply.id()).isNull();
		assertThat(reply.entranceUrls()).contains("http://127.0.0.3:17172/dandelion/entrance-123/ws/");
	}

	@Test
	void shouldReadTheOriginalPublishersFrameHeader() {
		byte[] header = captured("original-publisher-file-frame-header.json").getBytes(StandardCharsets.UTF_8);
		byte[] content = "segment".getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[11 + header.length + 12 + content.length];
		System.arraycopy("<Dandelion>".getBytes(StandardCharsets.US_ASCII), 0, frame, 0, 11);
		System.arraycopy(header, 0, frame, 11, header.length);
		System.arraycopy("</Dandelion>".getBytes(StandardCharsets.US_ASCII), 0, frame, 11 + header.length, 12);
		System.arraycopy(content, 0, frame, 23 + header.length, content.length);
		FileFrame decoded = new FileFrameCodec().decode(frame);
		assertThat(decoded.header().filePath()).isEqualTo("/tmp/interop/run/pair-2b/files/seg1.ts");
		assertThat(decoded.header().ttl().toSeconds()).isEqualTo(60);
	}

	private static String captured(String name) {
		try (InputStream in = OriginalMessagesTests.class.getResourceAsStream("/fixtures/captured/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No captured message " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
