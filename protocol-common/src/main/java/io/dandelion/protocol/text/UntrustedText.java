package io.dandelion.protocol.text;

/**
 * Text from the network as it may appear in a log line or an error reply: quoted, cut
 * short, with quotes, back-slashes, control and non-ASCII characters escaped, so that a
 * peer can neither forge log lines nor flood them.
 */
public final class UntrustedText {

	private static final int DEFAULT_MAX_CHARS = 80;

	private UntrustedText() {
	}

	/**
	 * The text quoted, at most 80 of its characters.
	 * @param text the text, may be {@code null}
	 * @return e.g. {@code "a\u000ab"...}, or {@code null} unquoted
	 */
	public static String quote(String text) {
		return quote(text, DEFAULT_MAX_CHARS);
	}

	/**
	 * The text quoted, at most the given number of its characters.
	 * @param text the text, may be {@code null}
	 * @param maxChars how many characters of it to show
	 * @return the quoted text, {@code ...} after the closing quote when it was cut
	 */
	public static String quote(String text, int maxChars) {
		if (text == null) {
			return "null";
		}
		StringBuilder quoted = new StringBuilder("\"");
		for (int i = 0; i < Math.min(text.length(), maxChars); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7e) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append((text.length() > maxChars) ? "\"..." : "\"").toString();
	}

}
