package io.dandelion.protocol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.text.UntrustedText;

/**
 * Reading single fields of the original's string-valued messages, with errors that name
 * the field.
 */
final class Fields {

	private static final int MAX_NUMBER_LENGTH = 40;

	/** Plain decimal notation: digits with an optional sign and fraction, no exponent. */
	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

	/**
	 * A number as Python's {@code str(float)} writes one: decimal notation, with an
	 * exponent for very small or large values ({@code 1e-05}, {@code 1e+16}). Not what
	 * else {@link Double#parseDouble} takes: hexadecimal, a type suffix ({@code 1d}),
	 * blanks, {@code NaN}, {@code Infinity}.
	 */
	private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

	private Fields() {
	}

	/**
	 * The field as text: strings as they are, numbers and booleans as written;
	 * {@code null} when absent or null.
	 */
	static String text(JsonNode node, String name) {
		JsonNode value = node.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isValueNode()) {
			throw new MessageFormatException(Reason.BAD_VALUE, name + " must be a string, not an object or a list");
		}
		return value.asText();
	}

	static Integer port(JsonNode node, String name) {
		String text = text(node, name);
		if (text == null || text.isEmpty()) {
			return null;
		}
		int port = parseInt(name, text);
		if (port < 1 || port > 65535) {
			throw new MessageFormatException(Reason.BAD_VALUE, name + " must be a port number (1-65535), not " + port);
		}
		return port;
	}

	static Double decimal(JsonNode node, String name) {
		String text = text(node, name);
		return (text == null || text.isEmpty()) ? null : parseFinite(name, text);
	}

	static double parseFinite(String name, String text) {
		String trimmed = text.strip();
		if (trimmed.length() <= MAX_NUMBER_LENGTH && FLOAT.matcher(trimmed).matches()) {
			double value = Double.parseDouble(trimmed);
			if (Double.isFinite(value)) {
				return value;
			}
		}
		throw new MessageFormatException(Reason.BAD_VALUE,
				name + " must be a finite number, not " + UntrustedText.quote(text));
	}

	static int parseInt(String name, String text) {
		long value = parseLong(name, text);
		if (value != (int) value) {
			throw new MessageFormatException(Reason.BAD_VALUE, name + " is out of range: " + value);
		}
		return (int) value;
	}

	/**
	 * A whole number, written as an integer ({@code "7070"}) or in decimal notation with
	 * no fraction ({@code "7070.0"}, as peers that format every figure as a float write
	 * it).
	 */
	static long parseLong(String name, String text) {
		BigDecimal value = parseDecimal(name, text);
		try {
			return value.longValueExact();
		}
		catch (ArithmeticException ex) {
			throw new MessageFormatException(Reason.BAD_VALUE,
					name + " must be a whole number, not " + UntrustedText.quote(text));
		}
	}

	/**
	 * A measured figure for a whole-number field, rounded half up to the nearest whole
	 * number: the original's boxes send {@code top}'s memory figures as decimals
	 * ({@code "24105.3"}).
	 */
	static long parseRounded(String name, String text) {
		BigDecimal value = parseDecimal(name, text).setScale(0, RoundingMode.HALF_UP);
		try {
			return value.longValueExact();
		}
		catch (ArithmeticException ex) {
			throw new MessageFormatException(Reason.BAD_VALUE, name + " is out of range: " + UntrustedText.quote(text));
		}
	}

	private static BigDecimal parseDecimal(String name, String text) {
		if (text == null) {
			throw new MessageFormatException(Reason.MISSING_FIELD, name + " is missing");
		}
		String trimmed = text.trim();
		// Bounded before BigDecimal sees it: "1e999999999" must not become a huge number.
		if (trimmed.length() > MAX_NUMBER_LENGTH || !DECIMAL.matcher(trimmed).matches()) {
			throw new MessageFormatException(Reason.BAD_VALUE,
					name + " must be a number, not " + UntrustedText.quote(text));
		}
		return new BigDecimal(trimmed);
	}

}
