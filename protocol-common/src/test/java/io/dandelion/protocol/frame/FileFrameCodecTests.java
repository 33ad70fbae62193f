package io.dandelion.protocol.frame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dandelion.protocol.frame.FileFrameException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileFrameCodecTests {

	private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

	private final FileFrameCodec codec = new FileFrameCodec();

	@Test
	void shouldDecodeFixtureFrame() throws IOException {
		byte[] frame = fixture("file-frame.bin");
		byte[] payload = fixture("file-frame.payload.bin");
		FileFrame decoded = this.codec.decode(frame);
		assertThat(decoded.header().filePath()).isEqualTo("/tmp/hls/output/alice_src/12.ts");
		assertThat(decoded.header().ttl()).isEqualTo(Duration.ofSeconds(60));
		assertThat(decoded.header().sha256()).isNull();
		assertThat(decoded.header().extra()).isEmpty();
		assertThat(decoded.contentBytes()).hasSize(4096).isEqualTo(payload);
	}

	@Test
	void shouldDecodeFixtureHeaderFromPrefixOnly() throws IOException {
		byte[] frame = fixture("file-frame.bin");
		int payloadLength = fixture("file-frame.payload.bin").length;
		ByteBuffer prefix = ByteBuffer.wrap(frame, 0, frame.length - payloadLength + 10);
		FileFramePrefix decoded = this.codec.decodeHeader(prefix);
		assertThat(decoded.header().filePath()).isEqualTo("/tmp/hls/output/alice_src/12.ts");
		assertThat(decoded.contentOffset()).isEqualTo(frame.length - payloadLength);
	}

	@Test
	void shouldEncodeHeaderFieldsInWireOrder() {
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("Z", 1);
		extra.put("A", List.of("x", true));
		FileFrameHeader header = new FileFrameHeader("/a/b.ts", Duration.ofSeconds(30), SHA, extra);
		byte[] frame = this.codec.encode(header, bytes("DATA"));
		assertThat(new String(frame, StandardCharsets.UTF_8))
			.isEqualTo("<Dandelion>{\"FILE_PATH\":\"/a/b.ts\",\"TTL\":30," + "\"SHA256\":\"" + SHA
					+ "\",\"Z\":1,\"A\":[\"x\",true]}</Dandelion>DATA");
	}

	@Test
	void shouldEncodePrefixWithoutContent() {
		byte[] prefix = this.codec.encodePrefix(new FileFrameHeader("/a.ts", Duration.ZERO));
		assertThat(new String(prefix, StandardCharsets.UTF_8))
			.isEqualTo("<Dandelion>{\"FILE_PATH\":\"/a.ts\",\"TTL\":0}</Dandelion>");
	}

	@Test
	void shouldRoundTripHeaderAndContent() {
		FileFrameHeader header = new FileFrameHeader("/tmp/hls/output/bob/7.ts", Duration.ofSeconds(90), SHA,
				Map.of("CHANNEL", "bob"));
		byte[] content = { 0, 1, 2, (byte) 0xff, '<' };
		FileFrame decoded = this.codec.decode(this.codec.encode(header, content));
		assertThat(decoded.header()).isEqualTo(header);
		assertThat(decoded.contentBytes()).isEqualTo(content);
	}

	@Test
	void shouldKeepCloseTagInContent() {
		byte[] content = bytes("before</Dandelion>middle</Dandelion><Dandelion>after");
		FileFrame decoded = this.codec.decode(this.codec.encode(new FileFrameHeader("/x.ts"), content));
		assertThat(decoded.contentBytes()).isEqualTo(content);
	}

	@Test
	void shouldSplitOnFirstCloseTag() {
		FileFrame decoded = this.codec.decode(bytes("<Dandelion>{\"FILE_PATH\": \"/x\"}</Dandelion></Dandelion>"));
		assertThat(decoded.contentBytes()).isEqualTo(bytes("</Dandelion>"));
	}

	@Test
	void shouldEscapeTagsInsideHeaderStrings() {
		FileFrameHeader header = new FileFrameHeader("/a</Dandelion>b<Dandelion>", Duration.ofSeconds(5), null,
				Map.of("</Dandelion>", "</Dandelion>"));
		byte[] frame = this.codec.encode(header, bytes("tail"));
		FileFrame decoded = this.codec.decode(frame);
		assertThat(decoded.header()).isEqualTo(header);
		assertThat(decoded.contentBytes()).isEqualTo(bytes("tail"));
	}

	@Test
	void shouldWriteAsciiOnlyHeaderWhenPathIsNotAscii() {
		FileFrameHeader header = new FileFrameHeader("/vidéo/片段\uD83D\uDE00.ts");
		byte[] prefix = this.codec.encodePrefix(header);
		for (byte b : prefix) {
			assertThat(b).isBetween((byte) 0x20, (byte) 0x7e);
		}
		assertThat(this.codec.decodeHeader(ByteBuffer.wrap(prefix)).header()).isEqualTo(header);
	}

	@Test
	void shouldApplyDefaultTtlWhenAbsent() {
		FileFrameHeader header = decodeHeader("{\"FILE_PATH\": \"/x\"}");
		assertThat(header.ttl()).isEqualTo(FileFrameHeader.DEFAULT_TTL);
		assertThat(header.keepForever()).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "0|0", "60|60", "'\"60\"'|60", "'\" 30 \"'|30", "'\"+5\"'|5", "'\"-0\"'|0",
			"'\"0\"'|0", "2147483647|2147483647" })
	void shouldReadTtlFromNumberOrNumericString(String json, long seconds) {
		FileFrameHeader header = decodeHeader("{\"FILE_PATH\": \"/x\", \"TTL\": " + json + "}");
		assertThat(header.ttl()).isEqualTo(Duration.ofSeconds(seconds));
		assertThat(header.keepForever()).isEqualTo(seconds == 0);
	}

	@Test
	void shouldPreserveExtraHeadersWhenReencoded() {
		String json = "{\"FILE_PATH\": \"/x\", \"TTL\": \"7\", \"ID\": \"publisher-1\", \"RATE\": 1.50, "
				+ "\"N\": null, \"BIG\": 123456789012345678901234567890, \"NESTED\": {\"b\": [1, {}], \"a\": false}}";
		FileFrameHeader header = decodeHeader(json);
		assertThat(header.extra()).containsOnlyKeys("ID", "RATE", "N", "BIG", "NESTED");
		assertThat(header.extra().keySet()).containsExactly("ID", "RATE", "N", "BIG", "NESTED");
		byte[] reencoded = this.codec.encodePrefix(header);
		assertThat(new String(reencoded, StandardCharsets.UTF_8))
			.isEqualTo("<Dandelion>{\"FILE_PATH\":\"/x\",\"TTL\":7,"
					+ "\"ID\":\"publisher-1\",\"RATE\":1.50,\"N\":null,\"BIG\":123456789012345678901234567890,"
					+ "\"NESTED\":{\"b\":[1,{}],\"a\":false}}</Dandelion>");
		assertThat(this.codec.decodeHeader(ByteBuffer.wrap(reencoded)).header()).isEqualTo(header);
	}

	@Test
	void shouldDecodeFromBufferPositionWithoutMovingIt() {
		byte[] frame = this.codec.encode(new FileFrameHeader("/x.ts"), bytes("abc"));
		ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 5);
		direct.put(bytes("JUNK!")).put(frame).position(5);
		FileFrame decoded = this.codec.decode(direct);
		assertThat(direct.position()).isEqualTo(5);
		assertThat(decoded.header().filePath()).isEqualTo("/x.ts");
		assertThat(decoded.contentBytes()).isEqualTo(bytes("abc"));
		FileFramePrefix prefix = this.codec.decodeHeader(direct);
		assertThat(direct.get(5 + prefix.contentOffset())).isEqualTo((byte) 'a');
	}

	@Test
	void shouldShareContentWithInputInsteadOfCopying() {
		byte[] frame = this.codec.encode(new FileFrameHeader("/x.ts"), bytes("abc"));
		FileFrame decoded = this.codec.decode(frame);
		frame[frame.length - 1] = 'z';
		assertThat(decoded.content().isReadOnly()).isTrue();
		assertThat(decoded.content().position()).isZero();
		assertThat(decoded.contentBytes()).isEqualTo(bytes("abz"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = { "|MISSING_OPEN_TAG", "<Dandel|MISSING_OPEN_TAG",
			"x<Dandelion>{\"FILE_PATH\":\"/x\"}</Dandelion>|MISSING_OPEN_TAG",
			"<dandelion>{\"FILE_PATH\":\"/x\"}</dandelion>|MISSING_OPEN_TAG",
			"<Dandelion>{\"FILE_PATH\":\"/x\"}|MISSING_CLOSE_TAG",
			"<Dandelion>{\"FILE_PATH\":\"/x\"}</Dandelion|MISSING_CLOSE_TAG", "<Dandelion></Dandelion>|BAD_JSON",
			"<Dandelion>   </Dandelion>|BAD_JSON", "<Dandelion>{\"FILE_PATH\":</Dandelion>|BAD_JSON",
			"<Dandelion>{'FILE_PATH':'/x'}</Dandelion>|BAD_JSON",
			"<Dandelion>{\"FILE_PATH\":\"/x\"} {}</Dandelion>|BAD_JSON",
			"<Dandelion>{\"FILE_PATH\":\"/x\",\"FILE_PATH\":\"/y\"}</Dandelion>|BAD_JSON",
			"<Dandelion>{\"FILE_PATH\":\"/x\",\"TTL\":NaN}</Dandelion>|BAD_JSON",
			"<Dandelion>[\"FILE_PATH\"]</Dandelion>|HEADER_NOT_OBJECT",
			"<Dandelion>\"x\"</Dandelion>|HEADER_NOT_OBJECT", "<Dandelion>null</Dandelion>|HEADER_NOT_OBJECT",
			"<Dandelion>{}</Dandelion>|MISSING_FILE_PATH",
			"<Dandelion>{\"file_path\":\"/x\"}</Dandelion>|MISSING_FILE_PATH",
			"<Dandelion>{\"FILE_PATH\":\"\"}</Dandelion>|BAD_FILE_PATH",
			"<Dandelion>{\"FILE_PATH\":null}</Dandelion>|BAD_FILE_PATH",
			"<Dandelion>{\"FILE_PATH\":12}</Dandelion>|BAD_FILE_PATH",
			"<Dandelion>{\"FILE_PATH\":[\"/x\"]}</Dandelion>|BAD_FILE_PATH" })
	void shouldRefuseMalformedFrame(String frame, Reason reason) {
		assertRefused(bytes((frame != null) ? frame : ""), reason);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			value = { "-1", "1.5", "60.0", "1e3", "\"1.5\"", "\"abc\"", "\"\"", "\"-1\"", "\"6_0\"", "true", "null",
					"[60]", "{}", "2147483648", "123456789012345678901234567890",
					"\"99999999999999999999999999999999999999\"" })
	void shouldRefuseBadTtl(String ttl) {
		assertRefused(bytes("<Dandelion>{\"FILE_PATH\":\"/x\",\"TTL\":" + ttl + "}</Dandelion>"), Reason.BAD_TTL);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			value = { "\"ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\"",
					"\"abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678\"",
					"\"abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890\"",
					"\"g bcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\"", "\"\"", "null", "42" })
	void shouldRefuseBadSha256(String sha256) {
		assertRefused(bytes("<Dandelion>{\"FILE_PATH\":\"/x\",\"SHA256\":" + sha256 + "}</Dandelion>"),
				Reason.BAD_SHA256);
	}

	@Test
	void shouldRefuseInvalidUtf8InHeader() {
		byte[] frame = bytes("<Dandelion>{\"FILE_PATH\":\"/x?\"}</Dandelion>");
		frame[frame.length - 16] = (byte) 0xc3;
		assertRefused(frame, Reason.BAD_JSON);
	}

	@Test
	void shouldRefuseHeaderOverLimit() {
		FileFrameCodec small = new FileFrameCodec(35, 1024);
		String json = "{\"FILE_PATH\":\"/0123456789012345678\"}";
		assertThat(json).hasSize(36);
		assertRefused(small, bytes("<Dandelion>" + json + "</Dandelion>"), Reason.HEADER_TOO_LARGE);
		assertThat(small.decode(bytes("<Dandelion>" + json.substring(0, 20) + "\"}</Dandelion>"))).isNotNull();
	}

	@Test
	void shouldRefuseHeaderOverLimitWhenCloseTagOnlyInLargeContent() {
		FileFrameCodec small = new FileFrameCodec(64, Long.MAX_VALUE);
		byte[] frame = new byte[1_000_000];
		System.arraycopy(bytes("<Dandelion>{"), 0, frame, 0, 12);
		byte[] close = bytes("</Dandelion>");
		System.arraycopy(close, 0, frame, frame.length - close.length, close.length);
		assertRefused(small, frame, Reason.HEADER_TOO_LARGE);
	}

	@Test
	void shouldRefuseContentOverLimit() {
		FileFrameCodec small = new FileFrameCodec(1024, 3);
		byte[] prefix = small.encodePrefix(new FileFrameHeader("/x"));
		assertThat(small.decode(concat(prefix, bytes("abc"))).contentBytes()).hasSize(3);
		assertRefused(small, concat(prefix, bytes("abcd")), Reason.CONTENT_TOO_LARGE);
	}

	@Test
	void shouldRefuseToEncodeOverLimits() {
		FileFrameCodec small = new FileFrameCodec(20, 3);
		assertThatExceptionOfType(FileFrameException.class)
			.isThrownBy(() -> small.encode(new FileFrameHeader("/x"), bytes("abcd")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.CONTENT_TOO_LARGE));
		assertThatExceptionOfType(FileFrameException.class)
			.isThrownBy(() -> small.encodePrefix(new FileFrameHeader("/a/rather/long/path.ts")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.HEADER_TOO_LARGE));
	}

	@Test
	void shouldQuoteOffendingValueSafelyInMessage() {
		assertThatExceptionOfType(FileFrameException.class)
			.isThrownBy(
					() -> this.codec.decode(bytes("<Dandelion>{\"FILE_PATH\":\"/x\",\"TTL\":\"1\\n2\"}</Dandelion>")))
			.withMessageContaining("\"1\\u000a2\"")
			.withMessageNotContaining("\n");
	}

	@Test
	void shouldExposeLimits() {
		FileFrameCodec codec = new FileFrameCodec(100, 200);
		assertThat(codec.maxHeaderBytes()).isEqualTo(100);
		assertThat(codec.maxContentBytes()).isEqualTo(200);
		assertThat(codec.maxPrefixBytes()).isEqualTo(123);
		assertThat(this.codec.maxHeaderBytes()).isEqualTo(16 * 1024);
		assertThat(this.codec.maxContentBytes()).isEqualTo(64L * 1024 * 1024);
	}

	private FileFrameHeader decodeHeader(String json) {
		return this.codec.decode(bytes("<Dandelion>" + json + "</Dandelion>")).header();
	}

	private void assertRefused(byte[] frame, Reason reason) {
		assertRefused(this.codec, frame, reason);
	}

	private static void assertRefused(FileFrameCodec codec, byte[] frame, Reason reason) {
		assertThatExceptionOfType(FileFrameException.class).isThrownBy(() -> codec.decode(frame))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason))
			.satisfies((ex) -> assertThat(ex.getMessage()).isNotBlank());
	}

	private static byte[] fixture(String name) throws IOException {
		try (InputStream in = FileFrameCodecTests.class.getResourceAsStream("/fixtures/wire/" + name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
	}

}
