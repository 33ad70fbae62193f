package io.dandelion.protocol.frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.frame.FileFrameException.Reason;

/**
 * Reads and writes the JSON between the frame tags, with a private, fixed-feature
 * {@link ObjectMapper} so that nobody else's mapper configuration changes the wire.
 */
final class FileFrameHeaderJson {

	// As Python's int(): whitespace and sign allowed; negatives refused later
	private static final Pattern TTL_STRING = Pattern.compile("\\s*[+-]?[0-9]+\\s*");

	private final ObjectMapper mapper;

	FileFrameHeaderJson() {
		JsonFactory factory = new JsonFactoryBuilder()
			// Duplicate keys are hostile or broken: json.dumps never writes them
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			// ASCII like json.dumps; no raw '<', so no tag inside the JSON
			.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
			.characterEscapes(new TagSafeEscapes())
			.build();
		this.mapper = JsonMapper.builder(factory)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			// BigDecimal keeps float extras exactly as written on re-encode
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.build();
	}

	byte[] write(FileFrameHeader header) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put(FileFrameHeader.FILE_PATH, header.filePath());
		json.put(FileFrameHeader.TTL, header.ttl().getSeconds());
		if (header.sha256() != null) {
			json.put(FileFrameHeader.SHA256, header.sha256());
		}
		json.putAll(header.extra());
		try {
			return this.mapper.writeValueAsBytes(json);
		}
		catch (JsonProcessingException ex) {
			// Unreachable: the header only holds JSON-shaped values
			throw new UncheckedIOException(ex);
		}
	}

	FileFrameHeader read(byte[] bytes, int offset, int length) {
		JsonNode root = parse(bytes, offset, length);
		if (!root.isObject()) {
			throw new FileFrameException(Reason.HEADER_NOT_OBJECT,
					"Frame header must be a JSON object, got " + root.getNodeType());
		}
		String filePath = filePath(root.get(FileFrameHeader.FILE_PATH));
		Duration ttl = ttl(root.get(FileFrameHeader.TTL));
		String sha256 = sha256(root.get(FileFrameHeader.SHA256));
		Map<String, Object> extra = new LinkedHashMap<>();
		root.properties().forEach((field) -> {
			String name = field.getKey();
			if (!name.equals(FileFrameHeader.FILE_PATH) && !name.equals(FileFrameHeader.TTL)
					&& !name.equals(FileFrameHeader.SHA256)) {
				extra.put(name, toValue(field.getValue()));
			}
		});
		try {
			return new FileFrameHeader(filePath, ttl, sha256, extra);
		}
		catch (IllegalArgumentException ex) {
			// Only unpaired surrogates in extras get here; the rest have reasons
			throw new FileFrameException(Reason.BAD_JSON, "Frame header is invalid: " + ex.getMessage(), ex);
		}
	}

	private JsonNode parse(byte[] bytes, int offset, int length) {
		JsonNode root;
		try {
			root = this.mapper.readTree(bytes, offset, length);
		}
		catch (JsonProcessingException ex) {
			throw new FileFrameException(Reason.BAD_JSON,
					"Frame header is not valid JSON: " + UntrustedText.quote(ex.getOriginalMessage()), ex);
		}
		catch (IOException | RuntimeException ex) {
			// The parser must not pick which exceptions hostile bytes cause
			throw new FileFrameException(Reason.BAD_JSON, "Frame header could not be parsed", ex);
		}
		if (root == null || root.isMissingNode()) {
			throw new FileFrameException(Reason.BAD_JSON, "Frame header is empty");
		}
		return root;
	}

	private static String filePath(JsonNode node) {
		if (node == null) {
			throw new FileFrameException(Reason.MISSING_FILE_PATH, "Frame header has no FILE_PATH");
		}
		if (!node.isTextual() || node.textValue().isEmpty() || !isWellFormed(node.textValue())) {
			throw new FileFrameException(Reason.BAD_FILE_PATH,
					"FILE_PATH must be a non-empty, well-formed string, got " + describe(node));
		}
		return node.textValue();
	}

	private static boolean isWellFormed(String text) {
		try {
			ExtraHeaders.checkWellFormed(text);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static Duration ttl(JsonNode node) {
		if (node == null) {
			return FileFrameHeader.DEFAULT_TTL;
		}
		BigInteger seconds = null;
		if (node.isIntegralNumber()) {
			seconds = node.bigIntegerValue();
		}
		else if (node.isTextual() && TTL_STRING.matcher(node.textValue()).matches()) {
			seconds = new BigInteger(node.textValue().strip());
		}
		if (seconds == null || seconds.signum() < 0
				|| seconds.compareTo(BigInteger.valueOf(FileFrameHeader.MAX_TTL.getSeconds())) > 0) {
			throw new FileFrameException(Reason.BAD_TTL, "TTL must be a whole number of seconds between 0 and "
					+ FileFrameHeader.MAX_TTL.getSeconds() + ", got " + describe(node));
		}
		return Duration.ofSeconds(seconds.longValueExact());
	}

	private static String sha256(JsonNode node) {
		if (node == null) {
			return null;
		}
		if (!node.isTextual() || !FileFrameHeader.isSha256(node.textValue())) {
			throw new FileFrameException(Reason.BAD_SHA256,
					"SHA256 must be 64 lowercase hex digits, got " + describe(node));
		}
		return node.textValue();
	}

	private static Object toValue(JsonNode node) {
		if (node.isObject()) {
			Map<String, Object> map = new LinkedHashMap<>();
			node.properties().forEach((field) -> map.put(field.getKey(), toValue(field.getValue())));
			return Collections.unmodifiableMap(map);
		}
		if (node.isArray()) {
			List<Object> list = new ArrayList<>(node.size());
			node.forEach((element) -> list.add(toValue(element)));
			return Collections.unmodifiableList(list);
		}
		if (node.isTextual()) {
			return node.textValue();
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		if (node.isNumber()) {
			return node.numberValue();
		}
		return null;
	}

	private static String describe(JsonNode node) {
		return node.isTextual() ? UntrustedText.quote(node.textValue())
				: UntrustedText.quote(String.valueOf(node.getNodeType()));
	}

	/**
	 * Standard JSON escaping plus {@code <} as a JSON unicode escape, so that a
	 * {@code FILE_PATH} holding {@code </Dandelion>} cannot end the header early.
	 */
	private static final class TagSafeEscapes extends CharacterEscapes {

		private final int[] asciiEscapes;

		TagSafeEscapes() {
			this.asciiEscapes = standardAsciiEscapesForJSON();
			this.asciiEscapes['<'] = ESCAPE_STANDARD;
		}

		@Override
		public int[] getEscapeCodesForAscii() {
			return this.asciiEscapes;
		}

		@Override
		public SerializedString getEscapeSequence(int ch) {
			return null;
		}

	}

}
