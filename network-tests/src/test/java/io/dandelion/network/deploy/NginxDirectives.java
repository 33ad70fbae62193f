package io.dandelion.network.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small reader of nginx configuration syntax for static checks: directives with their
 * arguments and, for blocks, their children. It knows the syntax only (words, quoted
 * strings, comments, {@code ;}, braces), no directive meanings.
 *
 * @param name the directive's name
 * @param args its arguments, quotes removed
 * @param children the directives of its block, empty for a simple directive
 */
record NginxDirectives(String name, List<String> args, List<NginxDirectives> children) {

	/**
	 * Parses a configuration into the directives of its top level.
	 * @param text the configuration
	 * @return a pseudo-directive {@code main} holding the top level
	 * @throws IllegalArgumentException on unbalanced braces or a missing {@code ;}
	 */
	static NginxDirectives parse(String text) {
		List<String> tokens = tokens(text);
		int[] position = { 0 };
		List<NginxDirectives> children = block(tokens, position, false);
		return new NginxDirectives("main", List.of(), children);
	}

	/**
	 * The first child directive of a name.
	 * @param childName the name
	 * @return the directive, if any
	 */
	Optional<NginxDirectives> child(String childName) {
		return this.children.stream().filter((child) -> child.name.equals(childName)).findFirst();
	}

	/**
	 * The child directives of a name.
	 * @param childName the name
	 * @return the directives, in order
	 */
	List<NginxDirectives> all(String childName) {
		return this.children.stream().filter((child) -> child.name.equals(childName)).toList();
	}

	/**
	 * Follows a path of block names, taking the first match at each step; an argument may
	 * be given as {@code name:arg}, e.g. {@code application:live}.
	 * @param path the names
	 * @return the directive at the end of the path
	 * @throws AssertionError when a step is missing
	 */
	NginxDirectives at(String... path) {
		NginxDirectives current = this;
		for (String step : path) {
			String[] parts = step.split(":", 2);
			NginxDirectives parent = current;
			current = parent.children.stream()
				.filter((child) -> child.name.equals(parts[0])
						&& (parts.length == 1 || (!child.args.isEmpty() && child.args.get(0).equals(parts[1]))))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No '" + step + "' in '" + parent.name + "'"));
		}
		return current;
	}

	/**
	 * The arguments of the first child directive of a name, joined by a space.
	 * @param childName the name
	 * @return the value, or {@code null} when there is no such directive
	 */
	String value(String childName) {
		return child(childName).map((child) -> String.join(" ", child.args)).orElse(null);
	}

	private static List<NginxDirectives> block(List<String> tokens, int[] position, boolean nested) {
		List<NginxDirectives> directives = new ArrayList<>();
		List<String> words = new ArrayList<>();
		while (position[0] < tokens.size()) {
			String token = tokens.get(position[0]++);
			switch (token) {
				case ";" -> {
					require(!words.isEmpty(), "';' without a directive");
					directives
						.add(new NginxDirectives(words.get(0), List.copyOf(words.subList(1, words.size())), List.of()));
					words.clear();
				}
				case "{" -> {
					require(!words.isEmpty(), "'{' without a directive");
					List<NginxDirectives> children = block(tokens, position, true);
					directives
						.add(new NginxDirectives(words.get(0), List.copyOf(words.subList(1, words.size())), children));
					words.clear();
				}
				case "}" -> {
					require(nested, "'}' without '{'");
					require(words.isEmpty(), "directive " + words + " without ';'");
					return directives;
				}
				default -> words.add(token);
			}
		}
		require(!nested, "'{' without '}'");
		require(words.isEmpty(), "directive " + words + " without ';'");
		return directives;
	}

	private static List<String> tokens(String text) {
		List<String> tokens = new ArrayList<>();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
			}
			else if (c == '#') {
				while (i < text.length() && text.charAt(i) != '\n') {
					i++;
				}
			}
			else if (c == ';' || c == '{' || c == '}') {
				tokens.add(String.valueOf(c));
				i++;
			}
			else if (c == '"' || c == '\'') {
				int end = i + 1;
				StringBuilder value = new StringBuilder();
				while (end < text.length() && text.charAt(end) != c) {
					if (text.charAt(end) == '\\' && end + 1 < text.length()) {
						end++;
					}
					value.append(text.charAt(end++));
				}
				require(end < text.length(), "unterminated string");
				tokens.add(value.toString());
				i = end + 1;
			}
			else {
				int end = i;
				while (end < text.length() && !Character.isWhitespace(text.charAt(end))
						&& ";{}".indexOf(text.charAt(end)) < 0) {
					end++;
				}
				tokens.add(text.substring(i, end));
				i = end;
			}
		}
		return tokens;
	}

	private static void require(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalArgumentException("Invalid nginx configuration: " + problem);
		}
	}

}
