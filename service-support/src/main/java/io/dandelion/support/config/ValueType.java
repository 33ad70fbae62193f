package io.dandelion.support.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a {@link ConfigKey}'s value: checks a value as the user wrote it and turns
 * it into the text Spring binds (e.g. seconds {@code 120} become {@code "120s"} for a
 * {@code Duration}). List types hold a list of one element type and accept a YAML list or
 * a comma-separated string.
 */
public final class ValueType {

	private static final Pattern IPV4 = Pattern
		.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

	private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?");

	private static final Pattern INTEGER = Pattern.compile("[+]?\\d{1,10}");

	private static final Pattern DECIMAL = Pattern.compile("[+]?(\\d+(\\.\\d*)?|\\.\\d+)");

	private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,18})\\s*(B|KB|MB|GB|TB)?",
			Pattern.CASE_INSENSITIVE);

	private static final Set<String> URL_SCHEMES = Set.of("http", "https", "ws", "wss");

	private static final Pattern HOST_PORT = Pattern
		.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\\d{1,5})");

	private final String expected;

	private final Function<String, String> converter;

	private final ValueType element;

	private ValueType(String expected, Function<String, String> converter, ValueType element) {
		this.expected = expected;
		this.converter = converter;
		this.element = element;
	}

	/**
	 * Any text, kept as written.
	 * @return the type
	 */
	public static ValueType string() {
		return new ValueType("a string", (text) -> text, null);
	}

	/**
	 * An IPv4 or IPv6 literal; never resolved through DNS.
	 * @param emptyAllowed whether an empty string is valid (the original read empty as
	 * "not set")
	 * @return the type
	 */
	public static ValueType ipAddress(boolean emptyAllowed) {
		String expected = emptyAllowed ? "an IPv4 or IPv6 address (or empty)" : "an IPv4 or IPv6 address";
		return new ValueType(expected, (text) -> {
			String trimmed = text.strip();
			if (trimmed.isEmpty()) {
				return emptyAllowed ? "" : null;
			}
			return isIpLiteral(trimmed) ? trimmed : null;
		}, null);
	}

	/**
	 * A TCP port, 1 to 65535.
	 * @return the type
	 */
	public static ValueType port() {
		return new ValueType("a port number (1-65535)", (text) -> integerIn(text, 1, 65535), null);
	}

	/**
	 * A non-negative number of seconds, possibly fractional, converted to a
	 * {@code Duration} text such as {@code 120s} or {@code 1500ms}.
	 * @return the type
	 */
	public static ValueType seconds() {
		return new ValueType("a number of seconds (0 or more)", ValueType::seconds, null);
	}

	/**
	 * A number of seconds, possibly fractional, of at least the given minimum, converted
	 * as {@link #seconds()}: for a time limit, where 0 would read as "none" and too short
	 * a one breaks what must fit in it.
	 * @param minimum the least number of seconds, e.g. {@code "1.5"}
	 * @return the type
	 */
	public static ValueType secondsAtLeast(String minimum) {
		BigDecimal least = new BigDecimal(minimum);
		return new ValueType("a number of seconds of " + minimum + " or more", (text) -> {
			String converted = seconds(text);
			String trimmed = text.strip();
			return (converted == null
					|| new BigDecimal(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed).compareTo(least) < 0)
							? null : converted;
		}, null);
	}

	/**
	 * A number of 0 or more, possibly fractional, e.g. a weight.
	 * @return the type
	 */
	public static ValueType nonNegativeDecimal() {
		return new ValueType("a number (0 or more)", (text) -> {
			String trimmed = text.strip();
			return DECIMAL.matcher(trimmed).matches() ? (trimmed.startsWith("+") ? trimmed.substring(1) : trimmed)
					: null;
		}, null);
	}

	/**
	 * A whole number of 1 or more.
	 * @return the type
	 */
	public static ValueType positiveInt() {
		return new ValueType("a whole number of 1 or more", (text) -> integerIn(text, 1, Integer.MAX_VALUE), null);
	}

	/**
	 * A whole number of 0 or more.
	 * @return the type
	 */
	public static ValueType nonNegativeInt() {
		return new ValueType("a whole number of 0 or more", (text) -> integerIn(text, 0, Integer.MAX_VALUE), null);
	}

	/**
	 * An absolute http, https, ws or wss URL with a host.
	 * @return the type
	 */
	public static ValueType url() {
		return new ValueType("an http, https, ws or wss URL", ValueType::url, null);
	}

	/**
	 * A list of {@link #url() URLs}: a YAML list, or one string of comma-separated URLs
	 * (handy in environment variables).
	 * @return the type
	 */
	public static ValueType urlList() {
		return listOf(url(), "a list of http, https, ws or wss URLs");
	}

	/**
	 * A host name or IP address with a port, {@code host:port} ({@code [ipv6]:port}).
	 * @return the type
	 */
	public static ValueType hostPort() {
		return new ValueType("a host:port address", (text) -> {
			Matcher matcher = HOST_PORT.matcher(text.strip());
			return (matcher.matches() && integerIn(matcher.group(2), 1, 65535) != null) ? text.strip() : null;
		}, null);
	}

	/**
	 * A list of {@link #hostPort() host:port addresses}: a YAML list, or one string of
	 * comma-separated addresses (handy in environment variables).
	 * @return the type
	 */
	public static ValueType hostPortList() {
		return listOf(hostPort(), "a list of host:port addresses");
	}

	/**
	 * A non-empty file system path, kept as written (relative paths are relative to the
	 * working directory).
	 * @return the type
	 */
	public static ValueType path() {
		return new ValueType("a file system path", (text) -> {
			if (text.isBlank()) {
				return null;
			}
			try {
				return Path.of(text).toString();
			}
			catch (InvalidPathException ex) {
				return null;
			}
		}, null);
	}

	/**
	 * A size: a whole number of bytes, or a number with a unit B, KB, MB, GB or TB (e.g.
	 * {@code 64MB}), converted to a {@code DataSize} text.
	 * @return the type
	 */
	public static ValueType byteSize() {
		return new ValueType("a size in bytes (e.g. 1048576 or 64MB)", (text) -> {
			Matcher matcher = BYTE_SIZE.matcher(text.strip());
			if (!matcher.matches()) {
				return null;
			}
			String unit = (matcher.group(2) != null) ? matcher.group(2).toUpperCase(Locale.ROOT) : "B";
			return Long.parseLong(matcher.group(1)) + unit;
		}, null);
	}

	/**
	 * A boolean: true/false, yes/no or on/off, in any case.
	 * @return the type
	 */
	public static ValueType bool() {
		return new ValueType("true or false", (text) -> switch (text.strip().toLowerCase(Locale.ROOT)) {
			case "true", "yes", "on" -> "true";
			case "false", "no", "off" -> "false";
			default -> null;
		}, null);
	}

	/**
	 * One of a fixed set of names, in any case, converted to the name as given here.
	 * @param choices the valid names
	 * @return the type
	 */
	public static ValueType oneOf(String... choices) {
		List<String> names = List.of(choices);
		return new ValueType("one of " + String.join(", ", names),
				(text) -> names.stream().filter((name) -> name.equalsIgnoreCase(text.strip())).findFirst().orElse(null),
				null);
	}

	/**
	 * One of a fixed set of names, in any case, converted to the text Spring binds for
	 * it: for a key whose values are ours and the property's are Spring's.
	 * @param choices each valid name to its text for Spring, in the order messages list
	 * them
	 * @return the type
	 */
	public static ValueType oneOf(Map<String, String> choices) {
		Map<String, String> names = new LinkedHashMap<>(choices);
		return new ValueType("one of " + String.join(", ", names.keySet()),
				(text) -> names.entrySet()
					.stream()
					.filter((choice) -> choice.getKey().equalsIgnoreCase(text.strip()))
					.map(Map.Entry::getValue)
					.findFirst()
					.orElse(null),
				null);
	}

	/**
	 * One of the constants of an enum, in any case.
	 * @param type the enum
	 * @return the type
	 */
	public static ValueType oneOf(Class<? extends Enum<?>> type) {
		return oneOf(Arrays.stream(type.getEnumConstants()).map(Enum::name).toArray(String[]::new));
	}

	/**
	 * A list of values of the given type.
	 * @param element the type of each element
	 * @param expected what a valid list looks like, for messages
	 * @return the type
	 */
	public static ValueType listOf(ValueType element, String expected) {
		return new ValueType(expected, null, Objects.requireNonNull(element, "element"));
	}

	/**
	 * What a valid value looks like, used in messages and documentation, e.g.
	 * {@code a port number (1-65535)}.
	 * @return the description
	 */
	public String expected() {
		return this.expected;
	}

	/**
	 * Whether this is a list type.
	 * @return {@code true} for lists
	 */
	public boolean isList() {
		return this.element != null;
	}

	/**
	 * The type of each element of a list type.
	 * @return the element type, or {@code null} for a scalar type
	 */
	public ValueType element() {
		return this.element;
	}

	/**
	 * Converts one scalar value.
	 * @param text the value as written
	 * @return the text for Spring, or {@code null} when the value is invalid
	 * @throws IllegalStateException when called on a list type
	 */
	public String convert(String text) {
		if (this.converter == null) {
			throw new IllegalStateException("A list type converts its elements");
		}
		return this.converter.apply(text);
	}

	/**
	 * Splits a comma-separated list, as environment variables write lists.
	 * @param text the value as written
	 * @return the non-blank elements, stripped
	 */
	static List<String> split(String text) {
		return Arrays.stream(text.split(",")).map(String::strip).filter((item) -> !item.isEmpty()).toList();
	}

	static boolean isIpLiteral(String text) {
		if (IPV4.matcher(text).matches()) {
			return true;
		}
		if (!text.contains(":") || !IPV6_CHARACTERS.matcher(text).matches()) {
			return false;
		}
		try {
			// A string with ':' is parsed as an IPv6 literal, never looked up
			return InetAddress.getByName(text) != null;
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static String integerIn(String text, long min, long max) {
		String trimmed = text.strip();
		if (!INTEGER.matcher(trimmed).matches()) {
			return null;
		}
		long value = Long.parseLong(trimmed);
		return (value >= min && value <= max) ? Long.toString(value) : null;
	}

	private static String seconds(String text) {
		String trimmed = text.strip();
		if (!DECIMAL.matcher(trimmed).matches()) {
			return null;
		}
		BigDecimal seconds = new BigDecimal(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
		if (seconds.stripTrailingZeros().scale() <= 0) {
			return seconds.toBigInteger() + "s";
		}
		return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).toBigInteger() + "ms";
	}

	private static String url(String text) {
		String trimmed = text.strip();
		try {
			URI uri = new URI(trimmed);
			if (uri.getScheme() == null || !URL_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))
					|| uri.getHost() == null) {
				return null;
			}
			return trimmed;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return this.expected;
	}

}
