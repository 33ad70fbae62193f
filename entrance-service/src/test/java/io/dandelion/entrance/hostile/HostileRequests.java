package io.dandelion.entrance.hostile;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.provider.Arguments;

import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile HTTP requests at the entrance's REST API, by category, each with the class of
 * answer it must get, worked out from how it was made. None may change anything: a
 * request that would change state carries no valid token, or a value the API refuses.
 */
final class HostileRequests {

	/**
	 * The admin token of the entrance under test: lower-case, so changing its case
	 * changes it.
	 */
	static final String ADMIN_TOKEN = "hostile-suite-admin-token-7c1f0e";

	static final String API = "/dandelion/api/v1/";

	/** Reactor Netty's limit on the request line, in bytes. */
	private static final int MAX_REQUEST_LINE = 4096;

	private static final String HEX = "0123456789abcdef";

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

	private static final List<String> NAMES = List.of("boxes", "credentials", "entrances", "keys");

	private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
			"TRACE");

	private final ObjectMapper json = new ObjectMapper();

	private final Fixture fixture;

	HostileRequests(Fixture fixture) {
		this.fixture = fixture;
	}

	/**
	 * IDs that requests may name: a credential the API would revoke, given the token.
	 *
	 * @param knownBoxId a live box with a credential
	 * @param knownPublisherId a publisher with a credential
	 */
	record Fixture(String knownBoxId, String knownPublisherId) {

	}

	/** What a request must get. */
	enum Expect {

		/** 401 with a problem body and {@code WWW-Authenticate}. */
		UNAUTHORIZED,

		/** 400 with a problem body. */
		BAD_REQUEST,

		/** Any 4xx, with a problem body unless the method is HEAD. */
		REFUSED,

		/** 2xx (for GET, HEAD and OPTIONS only) or 4xx with a problem body. */
		READ_OR_REFUSED,

		/**
		 * Any 4xx: refused by the HTTP server itself, before the application sees it (a
		 * header or request line over Netty's limit, a path that is no URI).
		 */
		REFUSED_BY_SERVER

	}

	/**
	 * One request.
	 *
	 * @param method the HTTP method
	 * @param path the raw path and query, sent as it is
	 * @param headers the headers, in order, names repeated as they are
	 * @param body the body, {@code null} for none
	 * @param expect what it must get
	 * @param anonymous whether it carries no valid token
	 */
	record Request(String method, String path, List<Map.Entry<String, String>> headers, byte[] body, Expect expect,
			boolean anonymous) {

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder(this.method).append(' ').append(shorten(this.path));
			this.headers.forEach((header) -> text.append(" [")
				.append(header.getKey())
				.append(": ")
				.append(shorten(header.getValue()))
				.append(']'));
			if (this.body != null) {
				text.append(" body ")
					.append(shorten(new String(this.body, 0, Math.min(this.body.length, 200), StandardCharsets.UTF_8)))
					.append(" (")
					.append(this.body.length)
					.append(" bytes)");
			}
			return text.toString();
		}

	}

	/**
	 * A request and where it comes from.
	 *
	 * @param category its category
	 * @param name its SeededCases name
	 * @param request the request
	 */
	record Case(Category category, String name, Request request) {

		@Override
		public String toString() {
			return this.category.label() + " [" + this.name + "] " + this.request + " -> " + this.request.expect();
		}

	}

	/** The categories of hostile requests, with the seed and number of each. */
	enum Category {

		PATHS_WITHOUT_TOKEN("http: hostile paths and methods, no token", 0x6a51_0001L, 1000),

		PATHS_WITH_TOKEN("http: hostile paths and methods, admin token", 0x6a51_0002L, 800),

		AUTHORIZATION_HEADERS("http: missing, wrong or odd Authorization", 0x6a51_0003L, 600),

		BAD_SECRETS("http: credential PUTs with bad SECRETs", 0x6a51_0004L, 400),

		BAD_BODIES("http: bodies that are not JSON, or huge", 0x6a51_0005L, 200);

		private final String label;

		private final long seed;

		private final int tries;

		Category(String label, long seed, int tries) {
			this.label = label;
			this.seed = seed;
			this.tries = tries;
		}

		String label() {
			return this.label;
		}

	}

	/**
	 * The cases of one category.
	 * @param category the category
	 * @return its cases, in seed order
	 */
	List<Case> cases(Category category) {
		Function<Gen, Request> generator = switch (category) {
			case PATHS_WITHOUT_TOKEN -> (gen) -> hostilePath(gen, false);
			case PATHS_WITH_TOKEN -> (gen) -> hostilePath(gen, true);
			case AUTHORIZATION_HEADERS -> this::oddAuthorization;
			case BAD_SECRETS -> this::badSecret;
			case BAD_BODIES -> this::badBody;
		};
		List<Arguments> edgeCases = (category != Category.AUTHORIZATION_HEADERS) ? List.of()
				: List.of(arguments(tooLargeHeader("Bearer " + "x".repeat(9000))),
						arguments(tooLargeHeader("Bearer " + ADMIN_TOKEN + " " + "x".repeat(9000))),
						arguments(tooLargeHeader("x".repeat(9000))));
		return SeededCases.of(category.seed, category.tries, edgeCases, (gen) -> arguments(generator.apply(gen)))
			.map((arguments) -> new Case(category,
					(arguments instanceof Arguments.ArgumentSet set) ? set.getName() : "?",
					(Request) arguments.get()[0]))
			.toList();
	}

	// Hostile paths and methods

	private Request hostilePath(Gen gen, boolean withToken) {
		String method = gen.oneOf(METHODS);
		List<String> segments = gen.listOf(1, 5, this::segment);
		String path = API + String.join("/", segments);
		if (gen.chance(0.2)) {
			path += "?" + gen.oneOf("url=" + segment(gen), "a=%00", segment(gen), "url=http%3A%2F%2F127.0.0.1%2F");
		}
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		if (withToken) {
			headers.add(Map.entry("Authorization", "Bearer " + ADMIN_TOKEN));
		}
		else if (gen.bool()) {
			headers.add(Map.entry("Authorization", wrongAuthorization(gen)));
		}
		byte[] body = null;
		if (gen.chance(0.3) && !"GET".equals(method) && !"HEAD".equals(method)) {
			body = refusedBody(gen);
			headers.add(Map.entry("Content-Type", gen.oneOf("application/json", "text/plain", "application/xml")));
		}
		boolean reads = "GET".equals(method) || "HEAD".equals(method);
		Expect expect;
		if (!isUri(path) || method.length() + path.length() + " HTTP/1.1".length() + 1 > MAX_REQUEST_LINE) {
			expect = Expect.REFUSED_BY_SERVER;
		}
		else if (!withToken) {
			// Every call but a read needs the token, and so does reading credentials
			expect = (!reads || isCredentials(segments.get(0))) ? Expect.UNAUTHORIZED : Expect.READ_OR_REFUSED;
		}
		else {
			expect = (reads || "OPTIONS".equals(method)) ? Expect.READ_OR_REFUSED : Expect.REFUSED;
		}
		return new Request(method, path, headers, body, expect, !withToken);
	}

	/**
	 * One path segment: the API's names, encoded or not, dot segments, encoded slashes,
	 * bytes that are no UTF-8, overlong and malformed IDs. Never the ID of a box or
	 * publisher: with the token, a PUT of one would issue a credential.
	 */
	private String segment(Gen gen) {
		return switch (gen.intBetween(0, 11)) {
			case 0 -> gen.oneOf(NAMES);
			case 1 -> percentEncodeSome(gen, gen.oneOf(NAMES));
			case 2 -> {
				String name = gen.oneOf(NAMES);
				yield gen.bool() ? name.toUpperCase(Locale.ROOT)
						: Character.toUpperCase(name.charAt(0)) + name.substring(1);
			}
			case 3 -> gen.oneOf(NAMES) + ";" + gen.string(LETTERS, 1, 6) + "=" + gen.string(LETTERS, 0, 6);
			case 4 -> gen.oneOf("..", ".", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "...", "%252e%252e", "%2e", "..;");
			case 5 ->
				gen.oneOf("%2f", "%2F", "..%2f..", "%5c", "..%5c..", "%2f%2f", "%5C", "%2f..%2f..%2fetc%2fpasswd");
			case 6 -> gen.oneOf("%00", "%ff", "%c0%ae", "%c0%af", "%e2%80%ae", "%f0%9f%98%80", "%e4%b8%ad%e6%96%87",
					"%ed%a0%80", "%0a", "%0d%0a", "%20", "%7f", "%fe%ff");
			case 7 -> switch (gen.intBetween(0, 4)) {
				case 0 -> "box-" + hex(gen, gen.oneOf(gen.intBetween(0, 31), gen.intBetween(33, 64)));
				case 1 -> "publisher-" + hex(gen, gen.oneOf(gen.intBetween(0, 31), gen.intBetween(33, 64)));
				case 2 -> "BOX-" + hex(gen, 32).toUpperCase(Locale.ROOT) + "A";
				case 3 -> NodeId.random(Role.ENTRANCE).value();
				default -> "box-" + hex(gen, gen.intBetween(33, 3000));
			};
			case 8 -> gen.string("abcXYZ019!$&'()*+,;=:@~-_.", 1, 20);
			case 9 -> percentEncode(gen.anyString(30));
			case 10 -> "";
			default -> gen.oneOf("%", "%g1", "%1", "%%", "%zz", "a%", "%c3");
		};
	}

	// Authorization headers that are not the token

	private Request oddAuthorization(Gen gen) {
		String freshId = NodeId.random(gen.bool() ? Role.BOX : Role.PUBLISHER).value();
		int target = gen.intBetween(0, 5);
		String method = switch (target) {
			case 0, 3 -> "PUT";
			case 1, 4 -> "DELETE";
			default -> "GET";
		};
		String path = switch (target) {
			case 0 -> API + "credentials/" + freshId;
			case 1 -> API + "credentials/" + this.fixture.knownPublisherId();
			case 2 -> API + "credentials";
			case 3 -> API + "entrances";
			case 4 -> API + "credentials/" + this.fixture.knownBoxId();
			default -> API + "credentials/";
		};
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		int shape = gen.intBetween(0, 3);
		if (shape == 1) {
			headers.add(Map.entry("Authorization", wrongAuthorization(gen)));
		}
		else if (shape == 2) {
			// The first header counts: a right one after a wrong one does not help
			headers.add(Map.entry("Authorization", wrongAuthorization(gen)));
			headers.add(Map.entry("Authorization", "Bearer " + ADMIN_TOKEN));
		}
		else if (shape == 3) {
			headers.add(Map.entry("Authorization",
					gen.oneOf("Bearer " + gen.string(BASE64URL, 1, 40) + ", Bearer " + ADMIN_TOKEN,
							"Bearer " + ADMIN_TOKEN + ", Bearer " + ADMIN_TOKEN, "Bearer " + ADMIN_TOKEN + ";",
							"Bearer \"" + ADMIN_TOKEN + "\"")));
		}
		byte[] body = null;
		if (target == 3) {
			body = "{\"url\":\"http://127.0.0.1:29999/dandelion/ws/\"}".getBytes(StandardCharsets.UTF_8);
			headers.add(Map.entry("Content-Type", "application/json"));
		}
		for (Map.Entry<String, String> header : headers) {
			if (header.getKey().equals("Authorization")) {
				// Sanity: the first Authorization header must be one the filter refuses
				if (wouldPass(header.getValue())) {
					throw new IllegalStateException("Generated a valid Authorization header: " + header.getValue());
				}
				break;
			}
		}
		return new Request(method, path, headers, body, Expect.UNAUTHORIZED, true);
	}

	private Request tooLargeHeader(String authorization) {
		return new Request("GET", API + "credentials", List.of(Map.entry("Authorization", authorization)), null,
				Expect.REFUSED_BY_SERVER, true);
	}

	/** An Authorization header that is not {@code Bearer} with the token. */
	private String wrongAuthorization(Gen gen) {
		String header = switch (gen.intBetween(0, 6)) {
			case 0 -> gen.oneOf(
					"Basic " + Base64.getEncoder()
						.encodeToString(("admin:" + ADMIN_TOKEN).getBytes(StandardCharsets.UTF_8)),
					"Digest " + ADMIN_TOKEN, "Token " + ADMIN_TOKEN, "Bearer" + ADMIN_TOKEN, "Bearer:" + ADMIN_TOKEN,
					"Bearer\t" + ADMIN_TOKEN, "BearerX " + ADMIN_TOKEN, "Bearer-" + ADMIN_TOKEN, ADMIN_TOKEN, "",
					"Bearer", "Bearer ", "Bearer \u00e9" + ADMIN_TOKEN, "B\u00e9arer " + ADMIN_TOKEN);
			case 1 -> "Bearer " + gen.string(BASE64URL, 1, 60);
			case 2 -> "Bearer " + ADMIN_TOKEN + gen.string(BASE64URL, 1, 5);
			case 3 -> "Bearer " + ADMIN_TOKEN.substring(0, gen.intBetween(0, ADMIN_TOKEN.length() - 1));
			case 4 -> {
				int at = gen.intBetween(0, ADMIN_TOKEN.length() - 1);
				char other = (ADMIN_TOKEN.charAt(at) == 'x') ? 'y' : 'x';
				yield gen.oneOf("bearer ", "BEARER ", "Bearer ", "bearer  ") + ADMIN_TOKEN.substring(0, at) + other
						+ ADMIN_TOKEN.substring(at + 1);
			}
			case 5 -> "Bearer " + gen.oneOf(ADMIN_TOKEN.toUpperCase(Locale.ROOT),
					new StringBuilder(ADMIN_TOKEN).reverse().toString(),
					ADMIN_TOKEN.substring(0, 10) + " " + ADMIN_TOKEN.substring(10), " ", "null", "undefined");
			default -> "Bearer " + gen.string(BASE64URL, 1000, 7000);
		};
		return wouldPass(header) ? header + "x" : header;
	}

	/**
	 * The filter's rule: {@code Bearer } in any case, then the token, blanks around it
	 * stripped.
	 */
	private static boolean wouldPass(String header) {
		return header.regionMatches(true, 0, "Bearer ", 0, 7) && header.substring(7).strip().equals(ADMIN_TOKEN);
	}

	// Credential PUTs with a SECRET the API must refuse

	private Request badSecret(Gen gen) {
		String id = NodeId.random(gen.bool() ? Role.BOX : Role.PUBLISHER).value();
		String valid = NodeCredential.random(NodeId.parse(id)).encodedSecret();
		String body = switch (gen.intBetween(0, 8)) {
			case 0 -> {
				int length = gen.oneOf(gen.intBetween(0, 42), gen.intBetween(44, 100));
				yield secretBody(gen.string(BASE64URL, length, length));
			}
			case 1 -> {
				int at = gen.intBetween(0, 42);
				yield secretBody(valid.substring(0, at) + gen.oneOf("+", "/", "=", " ", ".", "~", "\u00e9", "*")
						+ valid.substring(at + 1));
			}
			case 2 -> {
				// The last char carries 4 bits: one whose 2 spare bits are set reads as
				// the
				// same bytes, but is not the text shown back
				char last = BASE64URL.charAt(gen.intBetween(0, 15) * 4 + gen.intBetween(1, 3));
				yield secretBody(valid.substring(0, 42) + last);
			}
			case 3 -> secretBody(valid + gen.oneOf("=", "==", "A", " "));
			case 4 -> secretBody(valid.replace('-', '+').replace('_', '/').equals(valid) ? valid.substring(1) + "+"
					: valid.replace('-', '+').replace('_', '/'));
			case 5 -> "{\"SECRET\":" + gen.oneOf("7", "true", "false", "null", "[]", "{}", "[\"" + valid + "\"]",
					"{\"SECRET\":\"" + valid + "\"}", "1.5", "-1") + "}";
			case 6 -> "{\"SECRET\":\"" + valid + "\",\"" + gen.oneOf("X", "ID", "secret", "") + "\":"
					+ gen.oneOf("1", "\"x\"", "null") + "}";
			case 7 -> "{\"" + gen.oneOf("secret", "Secret", " SECRET", "SECRET ", "KEY", "SECRET\u0000") + "\":\""
					+ valid + "\"}";
			default -> secretBody(gen.anyString(60));
		};
		if (createsCredential(body)) {
			throw new IllegalStateException("Generated a body that issues a credential: " + body);
		}
		List<Map.Entry<String, String>> headers = List.of(Map.entry("Authorization", "Bearer " + ADMIN_TOKEN),
				Map.entry("Content-Type", "application/json"));
		return new Request("PUT", API + "credentials/" + id, headers, body.getBytes(StandardCharsets.UTF_8),
				Expect.BAD_REQUEST, false);
	}

	private String secretBody(String secret) {
		try {
			return "{\"SECRET\":" + this.json.writeValueAsString(secret) + "}";
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Whether the API would take the body: nothing, or exactly a well-formed SECRET. */
	private boolean createsCredential(String body) {
		JsonNode node;
		try {
			node = this.json.readTree(body);
		}
		catch (JsonProcessingException ex) {
			return false;
		}
		if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
			return true;
		}
		if (!node.isObject() || node.size() != 1 || !node.path("SECRET").isTextual()) {
			return false;
		}
		String secret = node.get("SECRET").asText();
		try {
			byte[] bytes = NodeCredential.decodeSecret(secret);
			return bytes.length == NodeCredential.SECRET_BYTES
					&& Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(secret);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	// Bodies that are not JSON, not the JSON asked for, or huge

	private Request badBody(Gen gen) {
		boolean credentials = gen.bool();
		String path = credentials ? API + "credentials/" + NodeId.random(gen.bool() ? Role.BOX : Role.PUBLISHER).value()
				: API + "entrances";
		byte[] body;
		String contentType = "application/json";
		switch (gen.intBetween(0, 5)) {
			case 0 -> body = refusedBody(gen);
			case 1 -> {
				String field = credentials ? "SECRET" : "url";
				String prefix = credentials ? "" : "http://127.0.0.1:1/";
				int length = gen.intBetween(300_000, 2_000_000);
				body = ("{\"" + field + "\":\"" + prefix + "a".repeat(length) + "\"}").getBytes(StandardCharsets.UTF_8);
			}
			case 2 -> {
				int depth = gen.intBetween(1001, 5000);
				body = ("{\"" + (credentials ? "SECRET" : "url") + "\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
					.getBytes(StandardCharsets.UTF_8);
			}
			case 3 -> {
				// A body the API would take, sent as something else than JSON
				body = (credentials ? "{}" : "{\"url\":\"http://127.0.0.1:29998/dandelion/ws/\"}")
					.getBytes(StandardCharsets.UTF_8);
				contentType = gen.oneOf("text/plain", "application/xml", "application/x-www-form-urlencoded",
						"multipart/form-data", "application/octet-stream", "garbage", "application/", "*/*;q=x",
						"text/json", null);
			}
			case 4 -> body = gen.oneOf("{\"url\":", "{\"SECRET\":\"\\xff\"}", "[1,2", "{\"a\":NaN}")
				.getBytes(StandardCharsets.UTF_8);
			default -> {
				body = new byte[] { '{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}' };
				contentType = gen.oneOf("application/json", "application/json;charset=utf-16",
						"application/json;charset=nonsense");
			}
		}
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		headers.add(Map.entry("Authorization", "Bearer " + ADMIN_TOKEN));
		if (contentType != null) {
			headers.add(Map.entry("Content-Type", contentType));
		}
		return new Request("PUT", path, headers, body, Expect.REFUSED, false);
	}

	/**
	 * A non-empty body no endpoint takes as JSON: not JSON, or JSON that is neither an
	 * object nor {@code null} (which would ask for a fresh credential), or an object with
	 * no field the API knows.
	 */
	private byte[] refusedBody(Gen gen) {
		for (;;) {
			byte[] body = switch (gen.intBetween(0, 3)) {
				case 0 -> gen.bytes(2000);
				case 1 -> gen.oneOf("[]", "1", "\"x\"", "true", "[{\"SECRET\":1}]", "{\"url\":7,\"SECRET\":[]}")
					.getBytes(StandardCharsets.UTF_8);
				case 2 -> gen.anyString(200).getBytes(StandardCharsets.UTF_8);
				default -> ("{\"" + gen.string(LETTERS, 1, 8) + "\":" + gen.oneOf("1", "[]", "{}", "\"x\"") + "}")
					.getBytes(StandardCharsets.UTF_8);
			};
			if (body.length > 0 && !createsCredential(new String(body, StandardCharsets.UTF_8))
					&& !new String(body, StandardCharsets.UTF_8).contains("http")) {
				return body;
			}
		}
	}

	/**
	 * Whether the server takes the path as a URI: Spring answers 400 itself, before any
	 * filter, to one that is not ({@code java.net.URI}).
	 */
	private static boolean isUri(String path) {
		try {
			new URI("http://127.0.0.1" + path);
			return true;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/**
	 * Whether a path segment, decoded as the server decodes it, names the credentials.
	 */
	private static boolean isCredentials(String segment) {
		String value = segment;
		int semicolon = value.indexOf(';');
		if (semicolon >= 0) {
			value = value.substring(0, semicolon);
		}
		try {
			return "credentials".equals(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String percentEncodeSome(Gen gen, String name) {
		StringBuilder encoded = new StringBuilder();
		boolean any = false;
		for (char c : name.toCharArray()) {
			if (gen.bool()) {
				encoded.append('%').append(String.format("%02X", (int) c));
				any = true;
			}
			else {
				encoded.append(c);
			}
		}
		return any ? encoded.toString() : "%" + String.format("%02x", (int) name.charAt(0)) + name.substring(1);
	}

	private static String percentEncode(String text) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			encoded.append('%').append(String.format("%02X", b & 0xff));
		}
		return encoded.toString();
	}

	private static String hex(Gen gen, int length) {
		return gen.string(HEX, length, length);
	}

	private static String shorten(String text) {
		return (text.length() > 120) ? text.substring(0, 120) + "…(" + text.length() + " chars)" : text;
	}

}
