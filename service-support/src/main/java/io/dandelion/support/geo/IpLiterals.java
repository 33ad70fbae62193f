package io.dandelion.support.geo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads IPv4 and IPv6 address literals without ever resolving a host name. Peers send
 * their addresses as text, and {@link InetAddress#getByName(String)} would quietly turn a
 * name into a DNS lookup, so the syntax is checked here and the address is built from its
 * bytes.
 */
public final class IpLiterals {

	// The longest IPv6 text form: eight groups of four digits and seven colons, or six
	// groups with an embedded IPv4 address.
	private static final int MAX_LENGTH = 45;

	private IpLiterals() {
	}

	/**
	 * Reads a dotted-quad IPv4 address (no leading zeros, which some readers take as
	 * octal) or an RFC 4291 IPv6 address, without URL brackets. Zone IDs ({@code %eth0})
	 * are refused: such addresses are link-local and never geolocated.
	 * @param text the literal; may be {@code null}
	 * @return the address, or empty when the text is not an IP literal
	 */
	public static Optional<InetAddress> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		String literal = text.strip();
		if (literal.isEmpty() || literal.length() > MAX_LENGTH) {
			return Optional.empty();
		}
		byte[] bytes = (literal.indexOf(':') >= 0) ? parseIpv6(literal) : parseIpv4(literal);
		if (bytes == null) {
			return Optional.empty();
		}
		try {
			// getByAddress never consults a resolver; it only checks the length.
			return Optional.of(InetAddress.getByAddress(bytes));
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

	private static byte[] parseIpv4(String literal) {
		String[] parts = literal.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			int octet = parseOctet(parts[i]);
			if (octet < 0) {
				return null;
			}
			bytes[i] = (byte) octet;
		}
		return bytes;
	}

	private static int parseOctet(String part) {
		if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
			return -1;
		}
		int value = 0;
		for (int i = 0; i < part.length(); i++) {
			char digit = part.charAt(i);
			if (digit < '0' || digit > '9') {
				return -1;
			}
			value = value * 10 + (digit - '0');
		}
		return (value <= 255) ? value : -1;
	}

	private static byte[] parseIpv6(String literal) {
		int gap = literal.indexOf("::");
		if (gap != literal.lastIndexOf("::")) {
			return null;
		}
		List<Integer> head;
		List<Integer> tail;
		if (gap < 0) {
			head = parseGroups(literal, true);
			tail = List.of();
			if (head == null || head.size() != 8) {
				return null;
			}
		}
		else {
			head = parseGroups(literal.substring(0, gap), false);
			tail = parseGroups(literal.substring(gap + 2), true);
			if (head == null || tail == null || head.size() + tail.size() > 7) {
				return null;
			}
		}
		byte[] bytes = new byte[16];
		for (int i = 0; i < head.size(); i++) {
			putGroup(bytes, i, head.get(i));
		}
		for (int i = 0; i < tail.size(); i++) {
			putGroup(bytes, 8 - tail.size() + i, tail.get(i));
		}
		return bytes;
	}

	private static void putGroup(byte[] bytes, int index, int group) {
		bytes[2 * index] = (byte) (group >>> 8);
		bytes[2 * index + 1] = (byte) group;
	}

	private static List<Integer> parseGroups(String part, boolean mayEndWithIpv4) {
		List<Integer> groups = new ArrayList<>();
		if (part.isEmpty()) {
			return groups;
		}
		String[] pieces = part.split(":", -1);
		for (int i = 0; i < pieces.length; i++) {
			String piece = pieces[i];
			if (mayEndWithIpv4 && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
				byte[] ipv4 = parseIpv4(piece);
				if (ipv4 == null) {
					return null;
				}
				groups.add(((ipv4[0] & 0xff) << 8) | (ipv4[1] & 0xff));
				groups.add(((ipv4[2] & 0xff) << 8) | (ipv4[3] & 0xff));
			}
			else {
				int group = parseHexGroup(piece);
				if (group < 0) {
					return null;
				}
				groups.add(group);
			}
		}
		return groups;
	}

	private static int parseHexGroup(String piece) {
		if (piece.isEmpty() || piece.length() > 4) {
			return -1;
		}
		int value = 0;
		for (int i = 0; i < piece.length(); i++) {
			int digit = Character.digit(piece.charAt(i), 16);
			// Character.digit also accepts non-ASCII digits, which no IP literal
			// contains.
			if (digit < 0 || piece.charAt(i) > 'f') {
				return -1;
			}
			value = (value << 4) | digit;
		}
		return value;
	}

}
