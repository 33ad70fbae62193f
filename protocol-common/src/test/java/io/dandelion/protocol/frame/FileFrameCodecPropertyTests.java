package io.dandelion.protocol.frame;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Fuzzes the decoder: whatever the bytes, it returns a frame or throws
 * {@link FileFrameException}, nothing else.
 */
@ExtendWith(SeededCases.class)
class FileFrameCodecPropertyTests {

	private static final byte[] OPEN = bytes(FileFrameCodec.OPEN_TAG);

	private static final byte[] CLOSE = bytes(FileFrameCodec.CLOSE_TAG);

	private static final List<String> RESERVED = List.of("FILE_PATH", "TTL", "SHA256");

	private static final List<String> HEADER_TEXTS = List.of("60", " 7 ", "+3", "-1", "-0", "1.5", "1e3", "", "abc",
			"0x10", "99999999999999999999", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

	// The default codec, which the generators use to write valid frames
	private static final FileFrameCodec DEFAULT_CODEC = new FileFrameCodec();

	// Small limits so that the limit checks are reached often
	private final FileFrameCodec smallCodec = new FileFrameCodec(512, 256);

	private final FileFrameCodec codec = new FileFrameCodec();

	private final ObjectMapper plainMapper = new ObjectMapper();

	@ParameterizedTest
	@MethodSource("randomFrames")
	void shouldOnlyRefuseWithFrameExceptionWhenBytesAreRandom(byte[] frame, boolean direct) {
		assertDecodesOrRefuses(this.smallCodec, frame, direct);
	}

	@ParameterizedTest
	@MethodSource("mutatedFrames")
	void shouldOnlyRefuseWithFrameExceptionWhenValidFrameIsMutated(byte[] frame, List<Mutation> mutations,
			boolean direct) {
		assertDecodesOrRefuses(this.smallCodec, mutate(frame, mutations), direct);
	}

	@ParameterizedTest
	@MethodSource("headerMaps")
	void shouldOnlyRefuseWithFrameExceptionWhenHeaderMapIsRandom(Map<String, Object> headers) throws IOException {
		byte[] json = this.plainMapper.writeValueAsBytes(headers);
		FileFrame decoded = assertDecodesOrRefuses(this.codec, concat(OPEN, json, CLOSE, bytes("content")), false);
		if (decoded != null) {
			// What was written, not what was put: the plain mapper writes NaN as a string
			assertThat(decoded.header().filePath())
				.isEqualTo(this.plainMapper.readTree(json).get("FILE_PATH").textValue());
			assertThat(decoded.contentBytes()).isEqualTo(bytes("content"));
			if (!headers.containsKey("TTL")) {
				assertThat(decoded.header().ttl()).isEqualTo(FileFrameHeader.DEFAULT_TTL);
			}
			else if (headers.get("TTL") instanceof Integer seconds) {
				assertThat(decoded.header().ttl()).isEqualTo(Duration.ofSeconds(seconds));
			}
		}
	}

	@ParameterizedTest
	@MethodSource("validHeadersAndContents")
	void shouldRoundTripValidHeaderAndContent(FileFrameHeader header, byte[] content) {
		byte[] frame = this.codec.encode(header, content);
		FileFrame decoded = this.codec.decode(frame);
		assertThat(decoded.header()).isEqualTo(header);
		assertThat(decoded.contentBytes()).isEqualTo(content);
		byte[] prefix = this.codec.encodePrefix(header);
		FileFramePrefix decodedPrefix = this.codec.decodeHeader(ByteBuffer.wrap(frame));
		assertThat(decodedPrefix.header()).isEqualTo(header);
		assertThat(decodedPrefix.contentOffset()).isEqualTo(prefix.length);
	}

	static Stream<Arguments> randomFrames() {
		List<Arguments> edges = List.of(arguments(new byte[0], false), arguments(new byte[0], true),
				arguments(OPEN, false), arguments(CLOSE, false), arguments(concat(OPEN, CLOSE), true),
				arguments(concat(OPEN, bytes("{}"), CLOSE), false), arguments(concat(OPEN, bytes("null"), CLOSE), true),
				arguments(concat(OPEN, bytes("{\"FILE_PATH\":\"/x\"}"), CLOSE), false));
		return SeededCases.of(0xf4a3e5L, 10_000, edges, (gen) -> arguments(randomFrame(gen), gen.bool()));
	}

	private static byte[] randomFrame(Gen gen) {
		return switch (gen.intBetween(0, 3)) {
			case 0 -> gen.bytes(1200);
			case 1 -> concat(OPEN, gen.bytes(1200));
			case 2 -> concat(OPEN, gen.bytes(1200), CLOSE, gen.bytes(1200));
			default ->
				concat(OPEN, bytes(gen.string("{}[]\":,0123456789.-+eEtrufalsnFILE_PATHTLS \\u<>/Dandelion", 600)),
						CLOSE, gen.bytes(1200));
		};
	}

	static Stream<Arguments> mutatedFrames() {
		byte[] frame = DEFAULT_CODEC.encode(new FileFrameHeader("/x.ts"), bytes("content"));
		// Edge cases: cut to nothing, cut after the open tag, a second open tag, one byte
		// changed
		List<Arguments> edges = List.of(arguments(frame, List.of(new Mutation(3, 0, (byte) 0)), false),
				arguments(frame, List.of(new Mutation(3, OPEN.length, (byte) 0)), true),
				arguments(frame, List.of(new Mutation(4, OPEN.length, (byte) 1)), false),
				arguments(frame, List.of(new Mutation(0, OPEN.length, (byte) '[')), false));
		return SeededCases.of(0x3a7a7eL, 10_000, edges, (gen) -> arguments(validFrame(gen),
				gen.listOf(1, 4, FileFrameCodecPropertyTests::mutation), gen.bool()));
	}

	private static byte[] validFrame(Gen gen) {
		FileFrameHeader header = validHeader(gen);
		byte[] content = content(gen);
		try {
			return DEFAULT_CODEC.encode(header, content);
		}
		catch (FileFrameException ex) {
			// A header over the default limit: still a useful frame to mutate
			return concat(DEFAULT_CODEC.encodePrefix(new FileFrameHeader("/x.ts")), content);
		}
	}

	private static Mutation mutation(Gen gen) {
		// Positions favour the header, where mutations reach the JSON checks
		int roll = gen.intBetween(1, 10);
		int position = (roll == 1) ? gen.intBetween(0, 10)
				: (roll <= 7) ? gen.intBetween(11, 150) : gen.intBetween(0, 5000);
		return new Mutation(gen.intBetween(0, 4), position, (byte) gen.anyInt());
	}

	static Stream<Arguments> headerMaps() {
		List<Arguments> edges = List.of(arguments(Map.of()), arguments(Map.of("FILE_PATH", "/tmp/x.ts")),
				arguments(Map.of("FILE_PATH", "")), arguments(Map.of("FILE_PATH", "/tmp/x.ts", "TTL", 0)),
				arguments(Map.of("FILE_PATH", "/tmp/x.ts", "TTL", Integer.MAX_VALUE)),
				arguments(Map.of("FILE_PATH", "/tmp/x.ts", "TTL", -1)),
				arguments(Map.of("FILE_PATH", "/tmp/x.ts", "TTL", Long.MAX_VALUE)),
				arguments(Map.of("FILE_PATH", "/tmp/x.ts", "SHA256", "")));
		return SeededCases.of(0x4eade6L, 10_000, edges, (gen) -> {
			Map<String, Object> headers = new LinkedHashMap<>();
			for (int i = gen.size(0, 6); i > 0; i--) {
				headers.put(gen.bool() ? gen.oneOf(RESERVED) : gen.anyString(12), headerValue(gen));
			}
			// A valid FILE_PATH half the time, so decoding reaches TTL and SHA256
			if (gen.bool()) {
				headers.put("FILE_PATH", "/tmp/x.ts");
			}
			return arguments(headers);
		});
	}

	private static Object headerValue(Gen gen) {
		return switch (gen.intBetween(0, 10)) {
			case 0 -> gen.anyString(20);
			case 1 -> gen.oneOf(HEADER_TEXTS);
			case 2 -> gen.anyInt();
			case 3 -> gen.anyLong();
			case 4 -> gen.anyDouble();
			// Up to 30 digits: within plus or minus 10^30
			case 5 -> new BigInteger((gen.bool() ? "-" : "") + gen.string("0123456789", 1, 30));
			case 6 -> gen.bool();
			case 7 -> gen.oneOf(Double.NaN, Double.POSITIVE_INFINITY);
			case 8 -> gen.listOf(0, 3, Gen::anyInt);
			case 9 -> {
				Map<String, Integer> map = new LinkedHashMap<>();
				for (int i = gen.size(0, 2); i > 0; i--) {
					map.put(gen.anyString(3), gen.anyInt());
				}
				yield map;
			}
			default -> null;
		};
	}

	static Stream<Arguments> validHeadersAndContents() {
		long maxTtl = FileFrameHeader.MAX_TTL.getSeconds();
		List<Arguments> edges = List.of(arguments(new FileFrameHeader("x", Duration.ZERO, null, Map.of()), new byte[0]),
				arguments(new FileFrameHeader("</Dandelion>", Duration.ofSeconds(maxTtl), "0".repeat(64),
						Map.of("", "", "k", List.of(), "m", Map.of())), CLOSE),
				arguments(new FileFrameHeader("\"\\{}", Duration.ofSeconds(60), "f".repeat(64), Map.of()),
						concat(CLOSE, OPEN)));
		return SeededCases.of(0x7a11dL, 10_000, edges, (gen) -> arguments(validHeader(gen), content(gen)));
	}

	private static FileFrameHeader validHeader(Gen gen) {
		String filePath;
		do {
			filePath = text(gen);
		}
		while (filePath.isEmpty());
		long maxTtl = FileFrameHeader.MAX_TTL.getSeconds();
		Duration ttl = Duration.ofSeconds(gen.bool() ? gen.oneOf(0L, 60L, maxTtl) : gen.longBetween(0, maxTtl));
		String sha256 = gen.bool() ? null : gen.string("0123456789abcdef", 64, 64);
		Map<String, Object> extra = new LinkedHashMap<>();
		for (int i = gen.size(0, 4); i > 0; i--) {
			String key = text(gen);
			if (!RESERVED.contains(key)) {
				extra.put(key, extraValue(gen));
			}
		}
		return new FileFrameHeader(filePath, ttl, sha256, extra);
	}

	private static Object extraValue(Gen gen) {
		return switch (gen.intBetween(0, 6)) {
			case 0 -> text(gen);
			case 1 -> gen.anyInt();
			case 2 -> gen.bool();
			case 3 -> null;
			case 4 -> BigDecimal.valueOf(gen.anyLong(), 3);
			case 5 -> gen.listOf(0, 3, FileFrameCodecPropertyTests::text);
			default -> {
				Map<String, Integer> map = new LinkedHashMap<>();
				for (int i = gen.size(0, 3); i > 0; i--) {
					map.put(text(gen), gen.anyInt());
				}
				yield map;
			}
		};
	}

	/** Header text: the header itself refuses unpaired surrogates. */
	private static String text(Gen gen) {
		String text;
		do {
			text = gen.bool() ? gen.anyString(30) : gen.string("</Dandelion>\"\\{}", 30);
		}
		while (text.codePoints().anyMatch((c) -> c < 0x10000 && Character.isSurrogate((char) c)));
		return text;
	}

	private static byte[] content(Gen gen) {
		byte[] random = gen.bytes(300);
		return gen.bool() ? random : concat(random, CLOSE, random);
	}

	/**
	 * Decode and accept either outcome the contract allows.
	 * @return the frame, or {@code null} when it was refused
	 */
	private static FileFrame assertDecodesOrRefuses(FileFrameCodec codec, byte[] frame, boolean direct) {
		ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(frame.length).put(frame).flip() : ByteBuffer.wrap(frame);
		try {
			FileFrame decoded = codec.decode(buffer);
			assertThat((long) decoded.content().remaining()).isLessThanOrEqualTo(codec.maxContentBytes());
			assertThat(codec.decodeHeader(buffer).header()).isEqualTo(decoded.header());
			return decoded;
		}
		catch (FileFrameException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return null;
		}
		catch (RuntimeException ex) {
			return fail("Only FileFrameException may escape decode", ex);
		}
	}

	private static byte[] mutate(byte[] frame, List<Mutation> mutations) {
		List<Byte> bytes = new ArrayList<>(frame.length + 32);
		for (byte b : frame) {
			bytes.add(b);
		}
		for (Mutation mutation : mutations) {
			int position = mutation.position() % (bytes.size() + 1);
			switch (mutation.kind()) {
				case 0 -> {
					if (position < bytes.size()) {
						bytes.set(position, mutation.value());
					}
				}
				case 1 -> bytes.add(position, mutation.value());
				case 2 -> {
					if (position < bytes.size()) {
						bytes.remove(position);
					}
				}
				case 3 -> bytes.subList(position, bytes.size()).clear();
				default -> {
					byte[] tag = (mutation.value() % 2 == 0) ? CLOSE : OPEN;
					for (int i = tag.length - 1; i >= 0; i--) {
						bytes.add(position, tag[i]);
					}
				}
			}
		}
		byte[] mutated = new byte[bytes.size()];
		for (int i = 0; i < mutated.length; i++) {
			mutated[i] = bytes.get(i);
		}
		return mutated;
	}

	private static byte[] concat(byte[]... parts) {
		int length = Arrays.stream(parts).mapToInt((part) -> part.length).sum();
		ByteBuffer buffer = ByteBuffer.allocate(length);
		for (byte[] part : parts) {
			buffer.put(part);
		}
		return buffer.array();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * One change to a frame.
	 *
	 * @param kind 0 replace, 1 insert, 2 delete, 3 cut, 4 add a tag
	 * @param position where, modulo the frame's length plus one
	 * @param value the byte replaced or inserted; its parity picks the tag
	 */
	record Mutation(int kind, int position, byte value) {

	}

}
