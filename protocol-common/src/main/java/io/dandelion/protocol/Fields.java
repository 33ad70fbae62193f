package io.dandelion.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import io.dandelion.protocol.MessageFormatException.Reason;

/**
 * Reading single fields of the original's string-valued messages, with errors that name
 * the field.
 */
final class Fields {

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
		try {
			double value = Double.parseDouble(text);
			if (Double.isFinite(value)) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
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

	static long parseLong(String name, String text) {
		if (text == null) {
			throw new MessageFormatException(Reason.MISSING_FIELD, name + " is missing");
		}
		try {
			return Long.parseLong(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new MessageFormatException(Reason.BAD_VALUE,
					name + " must be an integer, not " + UntrustedText.quote(text));
		}
	}

}
