package io.dandelion.entrance.registry;

import java.util.Map;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.MessageFormatException.Reason;
import io.dandelion.protocol.text.UntrustedText;

/**
 * The most an entrance stores of one box's heartbeat, so that no box can make the SEARCH
 * replies that carry its data too large for publishers to read (docs/protocol.md,
 * EXCHANGE). Fields the protocol does not define are limited in number, name length and
 * value length, and all of the box's fields together in size. Neither our boxes nor the
 * original's send such fields (ours send only their proof, which is not stored), so a
 * heartbeat over a limit is refused whole, with {@code TOO_LARGE}, rather than stored in
 * part.
 */
public final class BoxDataLimits {

	/** The most fields the protocol does not define that one box may store. */
	public static final int MAX_EXTRA_FIELDS = 32;

	/** The longest name of a field the protocol does not define, in chars. */
	public static final int MAX_EXTRA_NAME_CHARS = 64;

	/** The longest value of a field the protocol does not define, in chars. */
	public static final int MAX_EXTRA_VALUE_CHARS = 256;

	/**
	 * The most one box may store, as the chars of every field's name and value together:
	 * an ordinary heartbeat stores about 1 K.
	 */
	public static final int MAX_BOX_CHARS = 8 * 1024;

	private BoxDataLimits() {
	}

	/**
	 * Checks what would be stored of a heartbeat.
	 * @param stored the heartbeat as it would be stored
	 * @param fields its fields as stored, name to value
	 * @throws MessageFormatException with {@link Reason#TOO_LARGE} when it is over a
	 * limit
	 */
	static void check(ExchangeRequest stored, Map<String, String> fields) {
		Map<String, String> extra = stored.extra();
		if (extra.size() > MAX_EXTRA_FIELDS) {
			throw tooLarge("the heartbeat has " + extra.size() + " fields the protocol does not define, more than the "
					+ MAX_EXTRA_FIELDS + " an entrance stores");
		}
		extra.forEach((name, value) -> {
			if (name.length() > MAX_EXTRA_NAME_CHARS) {
				throw tooLarge("the name of field " + UntrustedText.quote(name) + " has " + name.length()
						+ " chars, more than the " + MAX_EXTRA_NAME_CHARS
						+ " an entrance stores for a field the protocol does not define");
			}
			if (value.length() > MAX_EXTRA_VALUE_CHARS) {
				throw tooLarge("field " + UntrustedText.quote(name) + " has a value of " + value.length()
						+ " chars, more than the " + MAX_EXTRA_VALUE_CHARS
						+ " an entrance stores for a field the protocol does not define");
			}
		});
		long chars = 0;
		for (Map.Entry<String, String> field : fields.entrySet()) {
			chars += field.getKey().length() + field.getValue().length();
		}
		if (chars > MAX_BOX_CHARS) {
			throw tooLarge("the heartbeat's fields come to " + chars + " chars, more than the " + MAX_BOX_CHARS
					+ " an entrance stores for one box");
		}
	}

	private static MessageFormatException tooLarge(String message) {
		return new MessageFormatException(Reason.TOO_LARGE, message);
	}

}
