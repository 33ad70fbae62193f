package io.dandelion.protocol.frame;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the decoder: whatever the bytes, it returns a frame or throws
 * {@link FileFrameException}, nothing else.
 */
class FileFrameCodecPropertyTests {

	private static final byte[] OPEN = bytes(FileFrameCodec.OPEN_TAG);

	private static final byte[] CLOSE = bytes(FileFrameCodec.CLOSE_TAG);

	// Small limits so that the limit checks are reached often
	private final FileFrameCodec smallCodec = new FileFrameCodec(512, 256);

	private final FileFrameCodec codec = new FileFrameCodec();

	private final ObjectMapper plainMapper = new ObjectMapper();

	@Property(tries = 10000)
	void shouldOnlyRefuseWithFrameExceptionWhenBytesAreRandom(@ForAll("randomFrames") byte[] frame,
			@ForAll boolean direct) {
		assertDecodesOrRefuses(this.smallCodec, frame, direct);
	}

	@Property(tries = 10000)
	void shouldOnlyRefuseWithFrameExceptionWhenValidFrameIsMutated(@ForAll("validFrames") byte[] frame,
			@ForAll("mutations") List<Tuple3<Integer, Integer, Byte>> mutations, @ForAll boolean direct) {
		assertDecodesOrRefuses(this.smallCodec, mutate(frame, mutations), direct);
	}

	@Property(tries = 10000)
	void shouldOnlyRefuseWithFrameExceptionWhenHeaderMapIsRandom(@ForAll("headerMaps") Map<String, Object> headers)
			throws IOException {
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

	@Property(tries = 10000)
	void shouldRoundTripValidHeaderAndContent(@ForAll("validHeaders") FileFrameHeader header,
			@ForAll("contents") byte[] content) {
		byte[] frame = this.codec.encode(header, content);
		FileFrame decoded = this.codec.decode(frame);
		assertThat(decoded.header()).isEqualTo(header);
		assertThat(decoded.contentBytes()).isEqualTo(content);
		byte[] prefix = this.codec.encodePrefix(header);
		FileFramePrefix decodedPrefix = this.codec.decodeHeader(ByteBuffer.wrap(frame));
		assertThat(decodedPrefix.header()).isEqualTo(header);
		assertThat(decodedPrefix.contentOffset()).isEqualTo(prefix.length);
	}

	@Provide
	Arbitrary<byte[]> randomFrames() {
		Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(1200);
		Arbitrary<byte[]> jsonish = Arbitraries.strings()
			.withChars("{}[]\":,0123456789.-+eEtrufalsnFILE_PATHTLS \\u<>/Dandelion")
			.ofMaxLength(600)
			.map(FileFrameCodecPropertyTests::bytes);
		return Arbitraries.oneOf(raw, raw.map((bytes) -> concat(OPEN, bytes)),
				Combinators.combine(raw, raw).as((header, content) -> concat(OPEN, header, CLOSE, content)),
				Combinators.combine(jsonish, raw).as((header, content) -> concat(OPEN, header, CLOSE, content)));
	}

	@Provide
	Arbitrary<byte[]> validFrames() {
		return Combinators.combine(validHeaders(), contents()).as((header, content) -> {
			try {
				return this.codec.encode(header, content);
			}
			catch (FileFrameException ex) {
				// A header over the default limit: still a useful frame to mutate
				return concat(this.codec.encodePrefix(new FileFrameHeader("/x.ts")), content);
			}
		});
	}

	@Provide
	Arbitrary<List<Tuple3<Integer, Integer, Byte>>> mutations() {
		// (kind, position, value); kinds: replace, insert, delete, cut, add tag.
		// Positions favour the header, where mutations reach the JSON checks.
		Arbitrary<Integer> positions = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, 10)),
				Tuple.of(6, Arbitraries.integers().between(11, 150)),
				Tuple.of(3, Arbitraries.integers().between(0, 5000)));
		Arbitrary<Tuple3<Integer, Integer, Byte>> mutation = Combinators
			.combine(Arbitraries.integers().between(0, 4), positions, Arbitraries.bytes())
			.as(Tuple::of);
		return mutation.list().ofMinSize(1).ofMaxSize(4);
	}

	@Provide
	Arbitrary<Map<String, Object>> headerMaps() {
		Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("FILE_PATH", "TTL", "SHA256"),
				Arbitraries.strings().ofMaxLength(12));
		Arbitrary<Object> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(Object.class::cast),
				Arbitraries
					.of("60", " 7 ", "+3", "-1", "-0", "1.5", "1e3", "", "abc", "0x10", "99999999999999999999",
							"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
					.map(Object.class::cast),
				Arbitraries.integers().map(Object.class::cast), Arbitraries.longs().map(Object.class::cast),
				Arbitraries.doubles().map(Object.class::cast),
				Arbitraries.bigIntegers()
					.between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
					.map(Object.class::cast),
				Arbitraries.of(true, false).map(Object.class::cast), Arbitraries.just(null),
				Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY).map(Object.class::cast),
				Arbitraries.integers().list().ofMaxSize(3).map(Object.class::cast),
				Arbitraries.maps(Arbitraries.strings().ofMaxLength(3), Arbitraries.integers())
					.ofMaxSize(2)
					.map(Object.class::cast));
		Arbitrary<Map<String, Object>> random = Arbitraries.maps(keys, values).ofMaxSize(6);
		// A valid FILE_PATH half the time, so decoding reaches TTL and SHA256
		return Combinators.combine(random, Arbitraries.of(true, false)).as((map, withPath) -> {
			Map<String, Object> headers = new LinkedHashMap<>(map);
			if (withPath) {
				headers.put("FILE_PATH", "/tmp/x.ts");
			}
			return headers;
		});
	}

	@Provide
	Arbitrary<FileFrameHeader> validHeaders() {
		// The header itself refuses unpaired surrogates
		Arbitrary<String> text = Arbitraries
			.oneOf(Arbitraries.strings().all().ofMaxLength(30),
					Arbitraries.strings().withChars("</Dandelion>\"\\{}").ofMaxLength(30))
			.filter((string) -> string.codePoints().noneMatch((c) -> Character.isSurrogate((char) c) && c < 0x10000));
		Arbitrary<String> filePaths = text.filter((path) -> !path.isEmpty());
		Arbitrary<Duration> ttls = Arbitraries
			.oneOf(Arbitraries.of(0L, 60L, FileFrameHeader.MAX_TTL.getSeconds()),
					Arbitraries.longs().between(0, FileFrameHeader.MAX_TTL.getSeconds()))
			.map(Duration::ofSeconds);
		Arbitrary<String> sha256s = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).injectNull(0.5);
		Arbitrary<Object> values = Arbitraries.oneOf(text.map(Object.class::cast),
				Arbitraries.integers().map(Object.class::cast), Arbitraries.of(true, false).map(Object.class::cast),
				Arbitraries.just(null), Arbitraries.bigDecimals().ofScale(3).map(Object.class::cast),
				text.list().ofMaxSize(3).map(Object.class::cast),
				Arbitraries.maps(text, Arbitraries.integers()).ofMaxSize(3).map(Object.class::cast));
		Arbitrary<Map<String, Object>> extras = Arbitraries
			.maps(text.filter((key) -> !List.of("FILE_PATH", "TTL", "SHA256").contains(key)), values)
			.ofMaxSize(4);
		return Combinators.combine(filePaths, ttls, sha256s, extras).as(FileFrameHeader::new);
	}

	@Provide
	Arbitrary<byte[]> contents() {
		Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
		return Arbitraries.oneOf(random, random.map((bytes) -> concat(bytes, CLOSE, bytes)));
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
			Statistics.collect("decoded");
			return decoded;
		}
		catch (FileFrameException ex) {
			Statistics.collect(ex.reason());
			assertThat(ex.getMessage()).isNotBlank();
			return null;
		}
		catch (RuntimeException ex) {
			return fail("Only FileFrameException may escape decode", ex);
		}
	}

	private static byte[] mutate(byte[] frame, List<Tuple3<Integer, Integer, Byte>> mutations) {
		List<Byte> bytes = new ArrayList<>(frame.length + 32);
		for (byte b : frame) {
			bytes.add(b);
		}
		for (Tuple3<Integer, Integer, Byte> mutation : mutations) {
			int position = mutation.get2() % (bytes.size() + 1);
			switch (mutation.get1()) {
				case 0 -> {
					if (position < bytes.size()) {
						bytes.set(position, mutation.get3());
					}
				}
				case 1 -> bytes.add(position, mutation.get3());
				case 2 -> {
					if (position < bytes.size()) {
						bytes.remove(position);
					}
				}
				case 3 -> bytes.subList(position, bytes.size()).clear();
				default -> {
					byte[] tag = (mutation.get3() % 2 == 0) ? CLOSE : OPEN;
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

}
