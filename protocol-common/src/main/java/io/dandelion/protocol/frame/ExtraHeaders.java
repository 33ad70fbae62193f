package io.dandelion.protocol.frame;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of extra header values. Only JSON-shaped values are accepted
 * so that encoding a header can never fail on, or serialize the fields of, an arbitrary
 * object.
 */
final class ExtraHeaders {

	private ExtraHeaders() {
	}

	static Map<String, Object> copyOf(Map<?, ?> map) {
		// Not Map.copyOf: keep wire order and allow JSON nulls
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> {
			if (!(key instanceof String name)) {
				throw new IllegalArgumentException("extra header keys must be strings, got " + key);
			}
			checkWellFormed(name);
			copy.put(name, copyValue(value));
		});
		return Collections.unmodifiableMap(copy);
	}

	private static Object copyValue(Object value) {
		if (value instanceof String text) {
			checkWellFormed(text);
			return text;
		}
		if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
				|| value instanceof Short || value instanceof Byte || value instanceof BigInteger
				|| value instanceof BigDecimal) {
			return value;
		}
		if (value instanceof Double || value instanceof Float) {
			if (!Double.isFinite(((Number) value).doubleValue())) {
				throw new IllegalArgumentException("extra header numbers must be finite, got " + value);
			}
			return value;
		}
		if (value instanceof Map<?, ?> map) {
			return copyOf(map);
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach((element) -> copy.add(copyValue(element)));
			return Collections.unmodifiableList(copy);
		}
		throw new IllegalArgumentException(
				"extra header values must be JSON values, got " + value.getClass().getName());
	}

	/**
	 * Refuse unpaired surrogates: they have no UTF-8 form, and Jackson will not read them
	 * back in field names, so a header holding one could be encoded but never decoded.
	 */
	static void checkWellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new IllegalArgumentException("header strings must not contain unpaired surrogates");
			}
		}
	}

}
