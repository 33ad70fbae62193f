package io.dandelion.publisher.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.testing.SeededCases.Gen;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import io.dandelion.publisher.hostile.RawHttp.Response;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Hostile input against a running publisher (strict mode, with an API token): more than
 * 10,000 seeded requests, over raw sockets so that they reach the server as written —
 * uploads at hostile paths, with hostile queries and bodies; Authorization headers of
 * every wrong shape; queue requests naming files outside the allowed roots, through
 * symbolic links, with bad TTLs or no JSON at all; reads of every public URL with junk.
 * Each case's expected status follows from how it was drawn. Every case also proves that
 * the publisher answered without a 5xx, never served a sentinel secret planted around its
 * directories, and that a refused request changed nothing: no file created, changed or
 * removed anywhere under the test's directory (base, uploads, allowed root, watch
 * directory and a sentinel sibling), no Redis key for a name it did not accept, and, at
 * the end, no queued task from a refused request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dandelion.security.mode=strict",
				"publisher.security.api-token=" + PublisherHostileInputTests.TOKEN,
				"publisher.entrance-urls[0]=ws://127.0.0.1:9/dandelion/ws/", "publisher.ip=127.0.0.1",
				"publisher.publish.max-frame-size=16KB",
				// Queued files wait for boxes (there are none) for the whole run: a
				// failed file would give up its name
				"publisher.publish.max-wait=1h", "publisher.live.rescan-period=1h" })
@WithTestRedis
@ExtendWith(SeededCases.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag(TestRedis.ONE_LAYOUT_TAG)
class PublisherHostileInputTests {

	static final String TOKEN = "hostile-suite-api-token-3f9a";

	private static final Logger logger = LoggerFactory.getLogger(PublisherHostileInputTests.class);

	private static final Path ROOT = Path.of("target", "hostile-" + UUID.randomUUID()).toAbsolutePath();

	private static final Path BASE = ROOT.resolve("base");

	private static final Path ALLOWED = ROOT.resolve("allowed");

	private static final Path WATCH = ROOT.resolve("watch");

	private static final Path SENTINEL = ROOT.resolve("sentinel");

	private static final String SECRET = "SENTINEL-SECRET-" + UUID.randomUUID();

	private static final long MAX_UPLOAD = 16 * 1024;

	/** Uploads over the size limit, refused once partly written. */
	private static final String OVER_LIMIT = "upload body over limit";

	private static final Map<String, long[]> nanosByStep = new ConcurrentHashMap<>();

	private static final List<String> ALLOWED_FILES = List.of("ok/a.ts", "ok/b.ts", "ok/sub/c.ts", "ok/ü.ts",
			"ok/d e.ts");

	private static final String MARKER_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	private static final Map<String, Map<Integer, Integer>> statusesByCategory = new ConcurrentHashMap<>();

	private static final Set<String> acceptedNames = ConcurrentHashMap.newKeySet();

	private static final Set<String> acceptedUploads = ConcurrentHashMap.newKeySet();

	private static final Set<String> refusedMarkers = ConcurrentHashMap.newKeySet();

	private static Snapshot last;

	private static RedisKeys keys;

	@LocalServerPort
	private int port;

	@Autowired
	private NodeId nodeId;

	@DynamicPropertySource
	static void directories(DynamicPropertyRegistry registry) throws IOException {
		plantFixtures();
		registry.add("publisher.base-directory", BASE::toString);
		registry.add("publisher.allowed-roots[0]", ALLOWED::toString);
		registry.add("publisher.live.watch-dirs[0]", WATCH::toString);
	}

	private static void plantFixtures() throws IOException {
		Files.createDirectories(BASE.resolve("uploads"));
		Files.createDirectories(SENTINEL);
		for (Path secret : List.of(ROOT.resolve("secret.ts"), BASE.resolve("secret.ts"), SENTINEL.resolve("secret.ts"),
				ROOT.resolve("secret.m3u8"))) {
			Files.writeString(secret, SECRET);
		}
		for (String file : ALLOWED_FILES) {
			Path path = ALLOWED.resolve(file);
			Files.createDirectories(path.getParent());
			Files.writeString(path, "segment " + file);
		}
		for (int i = 0; i < 10; i++) {
			Files.createDirectories(ALLOWED.resolve("conflict"));
			Files.writeString(ALLOWED.resolve("conflict/c" + i + ".ts"), "held by a local file");
		}
		Files.createDirectories(ALLOWED.resolve("live"));
		Files.writeString(ALLOWED.resolve("live/x.ts"), "not a live segment");
		Files.writeString(ALLOWED.resolve(".dandelion-tmp-x.ts"), "reserved");
		Files.writeString(ALLOWED.resolve("back\\slash.ts"), "back-slash");
		Files.createSymbolicLink(ALLOWED.resolve("link-out.ts"), SENTINEL.resolve("secret.ts"));
		Files.createSymbolicLink(ALLOWED.resolve("dir-out"), SENTINEL);
		Path demo = Files.createDirectories(WATCH.resolve("demo"));
		Files.writeString(demo.resolve("index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n0.ts\n");
		Files.write(demo.resolve("0.ts"), new byte[188]);
		Files.createSymbolicLink(demo.resolve("escape.ts"), ROOT.resolve("secret.ts"));
		Files.createSymbolicLink(demo.resolve("escape.m3u8"), ROOT.resolve("secret.m3u8"));
	}

	// Uploads: PUT /api/v1/files/{path} with the token

	@Order(1)
	@ParameterizedTest
	@MethodSource("uploads")
	void shouldRefuseHostileUploadPathsAndStoreTheOthers(HostileCase hostile) {
		run(hostile);
	}

	static Stream<Arguments> uploads() {
		List<Arguments> edges = List.of(arguments(upload("edge", "", "?ttl=0", bearer(TOKEN), new byte[1], 400, null)),
				arguments(upload("edge", "/", "?ttl=0", bearer(TOKEN), new byte[1], 400, null)),
				arguments(
						upload("edge", "/a/%2e%2e/%2e%2e/etc/passwd", "?ttl=0", bearer(TOKEN), new byte[1], 400, null)),
				arguments(upload(OVER_LIMIT, "/edge-over-limit.bin", "?ttl=0", bearer(TOKEN),
						new byte[(int) MAX_UPLOAD + 1], 400, null)),
				arguments(upload("edge", "/live", "?ttl=0", bearer(TOKEN), new byte[1], 202, "/live")));
		return SeededCases.of(1001, 2500, edges, (gen) -> {
			String marker = marker(gen);
			HostilePaths.Drawn path = HostilePaths.draw(gen, marker, false);
			byte[] body = gen.chance(0.03) ? new byte[(int) MAX_UPLOAD + gen.intBetween(1, 100)] : gen.bytes(64);
			String category = (body.length > MAX_UPLOAD) ? OVER_LIMIT : "upload path";
			return arguments(uploadOf(category, path, "?ttl=0", bearer(TOKEN), body, marker));
		});
	}

	/**
	 * An upload with the token, expected as the README says: 202 for a name a box takes
	 * outside {@code /live/} and a body within the limit, else 400.
	 */
	private static HostileCase uploadOf(String category, HostilePaths.Drawn path, String query, List<String> headers,
			byte[] body, String marker) {
		String decoded = path.decoded();
		String refusal = HostilePaths.boxRefusal(decoded);
		if (!path.features().isEmpty() && refusal == null
				&& !HostilePaths.isLiveName(HostilePaths.canonical(decoded))) {
			throw new IllegalStateException(
					"The generator put " + path.features() + " in " + path.raw() + " but the README's rules take it");
		}
		boolean accepted = refusal == null && !HostilePaths.isLiveName(HostilePaths.canonical(decoded))
				&& body.length <= MAX_UPLOAD;
		return upload(category, path.raw(), query, headers, body, accepted ? 202 : 400,
				accepted ? HostilePaths.canonical(decoded) : null)
			.marked(marker);
	}

	private static HostileCase upload(String category, String rawPath, String query, List<String> headers, byte[] body,
			int expected, String acceptedName) {
		List<String> all = new ArrayList<>(headers);
		all.add("Content-Type: application/octet-stream");
		byte[] request = RawHttp.request("PUT", "/api/v1/files" + rawPath + query, all, body);
		return new HostileCase(category,
				"PUT /api/v1/files" + rawPath + query + " " + headers + " (" + body.length + " bytes)", request,
				expected, expected != 202, acceptedName, (expected == 202) ? body : null, null);
	}

	// Authorization: the token is checked before anything else

	@Order(2)
	@ParameterizedTest
	@MethodSource("authorizations")
	void shouldCheckTheTokenBeforeAnythingElse(HostileCase hostile) {
		run(hostile);
	}

	static Stream<Arguments> authorizations() {
		return SeededCases.of(1002, 2000, (gen) -> {
			String marker = marker(gen);
			Authorization authorization = authorization(gen);
			int kind = gen.intBetween(0, 9);
			HostileCase inner;
			if (kind < 6) {
				HostilePaths.Drawn path = HostilePaths.draw(gen, marker, gen.bool());
				inner = uploadOf("authorization", path, "?ttl=0", authorization.headers(), gen.bytes(32), marker);
			}
			else if (kind < 8) {
				String filePath = ALLOWED.resolve(gen.oneOf(ALLOWED_FILES)).toString();
				String body = "{\"FILE_PATH\":\"" + json(filePath) + "\",\"TTL\":0,\"MARK\":\"" + marker + "\"}";
				inner = queue("authorization", body, "application/json", authorization.headers(), 202,
						HostilePaths.canonical(ALLOWED.relativize(Path.of(filePath)).toString()));
			}
			else {
				String method = gen.oneOf("DELETE", "PATCH", "POST", "FOO", "PROPFIND");
				byte[] request = RawHttp.request(method, "/api/v1/files/" + marker, authorization.headers(),
						new byte[0]);
				inner = new HostileCase("authorization", method + " /api/v1/files/" + marker, request, 405, true, null,
						null, null);
			}
			HostileCase checked = authorization.accepted() ? inner
					: inner.refusedWith(401, "authorization " + authorization.headers());
			return arguments(checked.marked(marker).in("authorization"));
		});
	}

	private static Authorization authorization(Gen gen) {
		String wrong = gen.string(MARKER_ALPHABET, 1, 60);
		return switch (gen.intBetween(0, 17)) {
			case 0 -> new Authorization(List.of(), false);
			case 1 -> new Authorization(List.of("Authorization: Bearer " + wrong), false);
			case 2 ->
				new Authorization(List.of("Authorization: Bearer " + TOKEN + gen.oneOf("x", "0", ".", "%20")), false);
			case 3 ->
				new Authorization(List.of("Authorization: Bearer " + TOKEN.substring(0, TOKEN.length() - 1)), false);
			case 4 -> new Authorization(List.of("Authorization: Bearer " + TOKEN.toUpperCase()), false);
			case 5 -> new Authorization(
					List.of("Authorization: " + gen.oneOf("bearer ", "BEARER ", "bEaReR ", "Bearer    ") + TOKEN),
					true);
			case 6 -> new Authorization(List.of("Authorization: Bearer\t" + TOKEN), false);
			case 7 -> new Authorization(List.of("Authorization: Basic "
					+ Base64.getEncoder().encodeToString(("dandelion:" + TOKEN).getBytes(StandardCharsets.UTF_8))),
					false);
			case 8 -> new Authorization(
					List.of("Authorization: " + gen.oneOf("Basic ", "Token ", "Digest ", "", "Bearer") + TOKEN), false);
			case 9 ->
				new Authorization(List.of("Authorization: " + gen.oneOf("", "Bearer", "Bearer ", "Bearer ,")), false);
			case 10 ->
				new Authorization(List.of("Authorization: Bearer " + "A".repeat(gen.intBetween(1000, 7000))), false);
			case 11 -> new Authorization(List.of("Authorization: Bearer " + TOKEN + "\u00e9"), false);
			case 12 ->
				new Authorization(List.of("Authorization: Bearer " + wrong, "Authorization: Bearer " + TOKEN), false);
			case 13 ->
				new Authorization(List.of("Authorization: Bearer " + TOKEN, "Authorization: Bearer " + wrong), true);
			case 14 -> new Authorization(List.of("authorization: Bearer " + TOKEN), true);
			case 15 -> new Authorization(List.of("X-Authorization: Bearer " + TOKEN, "Cookie: token=" + TOKEN), false);
			case 16 -> new Authorization(List.of("Authorization: Bearer " + TOKEN + "," + TOKEN), false);
			default -> new Authorization(List.of("Proxy-Authorization: Bearer " + TOKEN), false);
		};
	}

	private static List<String> bearer(String token) {
		return List.of("Authorization: Bearer " + token);
	}

	// Upload queries

	@Order(3)
	@ParameterizedTest
	@MethodSource("queries")
	void shouldRefuseHostileTtls(HostileCase hostile) {
		run(hostile);
	}

	static Stream<Arguments> queries() {
		List<String> refused = List.of("ttl=-1", "ttl=-2147483648", "ttl=2147483648", "ttl=9223372036854775807",
				"ttl=9223372036854775808", "ttl=1e9", "ttl=1.5", "ttl=abc", "ttl=%00", "ttl=NaN", "ttl=Infinity",
				"ttl=%2d1", "ttl=1%00", "ttl=-0x1", "ttl=99999999999999999999999");
		List<String> taken = List.of("", "ttl=0", "ttl=60", "ttl=2147483647", "ttl=007", "ttl=5&format=json&x=%00",
				"TTL=-1", "ttl=5&ttl=-1", "other=%ff%fe");
		return SeededCases.of(1003, 700, (gen) -> {
			String rawPath = "/" + gen.oneOf("a", "b", "%C3%BC") + "/ttl";
			int kind = gen.intBetween(0, 3);
			String query;
			boolean accepted;
			if (kind == 0) {
				query = gen.oneOf(refused);
				accepted = false;
			}
			else if (kind == 1) {
				query = gen.oneOf(taken);
				accepted = true;
			}
			else if (kind == 2) {
				long ttl = gen.anyLong();
				query = "ttl=" + ttl;
				accepted = ttl >= 0 && ttl <= Integer.MAX_VALUE;
			}
			else {
				query = "ttl=" + gen.string("abcdefxyzXYZ-.!~*'()", 1, 12);
				accepted = false;
			}
			String q = query.isEmpty() ? "" : "?" + query;
			return arguments(upload("upload query", rawPath, q, bearer(TOKEN), gen.bytes(16), accepted ? 202 : 400,
					accepted ? HostilePaths.decode(rawPath) : null));
		});
	}

	// POST /api/v1/files: local files by path

	@Order(4)
	@ParameterizedTest
	@MethodSource("queueRequests")
	void shouldQueueOnlyFilesBelowTheAllowedRoots(HostileCase hostile) {
		run(hostile);
	}

	static Stream<Arguments> queueRequests() {
		List<Arguments> edges = List.of(
				arguments(queue("queue body", "{\"FILE_PATH\":\"/tmp/x\"}", "text/plain", bearer(TOKEN), 415, null)),
				arguments(queue("queue body", "{\"FILE_PATH\":\"/tmp/x\"}", null, bearer(TOKEN), 415, null)),
				arguments(queue("queue body",
						"{\"FILE_PATH\":\"" + json(ALLOWED.resolve("ok/a.ts").toString()) + "\",\"PAD\":\""
								+ "x".repeat(300_000) + "\"}",
						"application/json", bearer(TOKEN), 413, null)),
				arguments(queue("queue body", "[".repeat(3000) + "]".repeat(3000), "application/json", bearer(TOKEN),
						400, null)));
		return SeededCases.of(1004, 2000, edges, (gen) -> {
			String marker = marker(gen);
			if (gen.chance(0.15)) {
				String body = gen.oneOf("", "{", "not json", "[]", "[1,2]", "1", "\"FILE_PATH\"", "null", "{]",
						"{\"FILE_PATH\":}", "{'FILE_PATH':'x'}", "\u0000\u0001", "{\"FILE_PATH\":\"" + marker)
						+ (gen.bool() ? "" : new String(gen.bytes(20), StandardCharsets.ISO_8859_1));
				return arguments(
						queue("queue body", body, "application/json", bearer(TOKEN), 400, null).marked(marker));
			}
			LocalFile file = localFile(gen, marker);
			Ttl ttl = ttl(gen);
			StringBuilder body = new StringBuilder("{");
			if (file.json() != null) {
				body.append("\"FILE_PATH\":").append(file.json()).append(',');
			}
			if (ttl.json() != null) {
				body.append("\"TTL\":").append(ttl.json()).append(',');
			}
			body.append(gen.oneOf("\"STREAM\":\"alice\"", "\"DANDELION_NAME\":\"/evil/" + marker + "\"",
					"\"DANDELION_LOCAL_PATH\":\"/etc/passwd\"", "\"X\":{\"nested\":[1,{\"b\":null}]}",
					"\"\u00fc\u65e5\":\"\\u0000\"", "\"ID\":\"box-0\""));
			body.append(",\"MARK\":\"").append(marker).append("\"}");
			boolean accepted = file.name() != null && ttl.valid();
			String type = gen.oneOf("application/json", "application/json;charset=UTF-8", "Application/JSON");
			return arguments(queue("queue body", body.toString(), type, bearer(TOKEN), accepted ? 202 : 400,
					accepted ? file.name() : null)
				.marked(marker));
		});
	}

	private static LocalFile localFile(Gen gen, String marker) {
		String allowed = ALLOWED.toString();
		return switch (gen.intBetween(0, 12)) {
			case 0, 1 -> {
				String file = gen.oneOf(ALLOWED_FILES);
				yield new LocalFile(quoted(ALLOWED.resolve(file).toString()), "/" + file);
			}
			case 2 -> new LocalFile(gen.oneOf(null, "null", "5", "true", "[]", "{}", "\"\"", "\"   \""), null);
			case 3 -> new LocalFile(quoted(gen.oneOf("ok/a.ts", "./ok/a.ts", "allowed/ok/a.ts", "~/x", "a\\b")), null);
			case 4 ->
				new LocalFile(
						quoted(gen.oneOf("/etc/passwd", "/", "/tmp", "/proc/self/environ",
								SENTINEL.resolve("secret.ts").toString(), BASE.resolve("secret.ts").toString(),
								BASE.resolve("publisher-id.txt").toString(), ROOT.resolve("secret.ts").toString())),
						null);
			case 5 -> new LocalFile(quoted(allowed + gen.oneOf("/ok/../ok/a.ts", "/./ok/a.ts", "/../sentinel/secret.ts",
					"/ok/a.ts/..", "/ok/.", "/ok/%2e%2e/a.ts", "/ok/a.ts/")), null);
			case 6 -> new LocalFile(quoted(allowed + gen.oneOf("/link-out.ts", "/dir-out/secret.ts")), null);
			case 7 -> new LocalFile(quoted(allowed + gen.oneOf("", "/ok", "/ok/sub", "/live", "/dir-out")), null);
			case 8 -> new LocalFile(quoted(allowed + "/ok/missing-" + marker + ".ts"), null);
			case 9 -> new LocalFile(quoted(allowed
					+ gen.oneOf("/live/x.ts", "/.dandelion-tmp-x.ts", "/back\\slash.ts", "/" + "l".repeat(255) + "x")),
					null);
			case 10 -> new LocalFile(
					quoted(allowed + "/ok/a.ts" + gen.oneOf("\u0000", "\u0001", "\n", "\u007f", "\u0000.txt")), null);
			case 11 -> new LocalFile(quoted(gen.oneOf("C:\\Windows\\win.ini", "file:///etc/passwd",
					"\\\\server\\share\\x.ts", "http://127.0.0.1/x.ts")), null);
			default -> new LocalFile(
					quoted(BASE.resolve("uploads").toString() + gen.oneOf("", "/..", "/x/../../secret.ts")), null);
		};
	}

	private static Ttl ttl(Gen gen) {
		return switch (gen.intBetween(0, 3)) {
			case 0 ->
				new Ttl(gen.oneOf(null, "0", "60", "2147483647", "\"60\"", "\" 60 \"", "1e9", "null", "60.0"), true);
			case 1 -> new Ttl(gen.oneOf("-1", "2147483648", "1.5", "\"abc\"", "\"1e9\"", "true", "[]", "{}", "\"-1\"",
					"\"\"", "1e400", "-0.5", "\"0x10\"", "99999999999999999999"), false);
			default -> {
				long ttl = gen.anyLong();
				yield new Ttl(Long.toString(ttl), ttl >= 0 && ttl <= Integer.MAX_VALUE);
			}
		};
	}

	private static HostileCase queue(String category, String body, String contentType, List<String> headers,
			int expected, String acceptedName) {
		List<String> all = new ArrayList<>(headers);
		if (contentType != null) {
			all.add("Content-Type: " + contentType);
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String shown = (body.length() > 200) ? body.substring(0, 200) + "… (" + body.length() + " chars)" : body;
		return new HostileCase(category, "POST /api/v1/files " + headers + " " + contentType + " " + shown,
				RawHttp.request("POST", "/api/v1/files", all, bytes), expected, expected != 202, acceptedName, null,
				null);
	}

	// Names held by a local file

	@Order(5)
	@ParameterizedTest
	@MethodSource("collisions")
	void shouldRefuseAnUploadOfANameALocalFileHolds(HostileCase hostile) {
		String local = hostile.acceptedName();
		String filePath = ALLOWED.resolve(local.substring(1)).toString();
		Response queued = RawHttp.send(this.port,
				queue("name collision", "{\"FILE_PATH\":\"" + json(filePath) + "\",\"TTL\":0}", "application/json",
						bearer(TOKEN), 202, local)
					.request());
		assertThat(queued.status()).as("POST of %s", filePath).isEqualTo(202);
		acceptedNames.add(local);
		last = Snapshot.take(keys);
		run(hostile.withoutAcceptedName());
		assertThat(BASE.resolve("uploads").resolve(this.nodeId.value()).resolve(local.substring(1))).doesNotExist();
	}

	static Stream<Arguments> collisions() {
		return SeededCases.of(1005, 100, (gen) -> {
			String name = "/conflict/c" + gen.intBetween(0, 9) + ".ts";
			HostileCase put = upload("name collision", name, "?ttl=" + gen.intBetween(0, 100), bearer(TOKEN),
					gen.bytes(100), 409, null);
			return arguments(put.withAcceptedName(name));
		});
	}

	// Public reads

	@Order(6)
	@ParameterizedTest
	@MethodSource("reads")
	void shouldAnswerHostileReadsWithoutLeakingAnything(HostileCase hostile) {
		run(hostile);
	}

	static Stream<Arguments> reads() {
		List<Arguments> edges = new ArrayList<>();
		for (String target : List.of("/origin/..%2fsecret.ts", "/origin/demo/..%2f..%2fsecret.ts",
				"/origin/demo/%2e%2e/%2e%2e/secret.ts", "/live/demo/..%2f..%2fsecret.m3u8", "/live/..%2fsecret.m3u8",
				"/r/..%2f..%2fsecret.ts", "/api/v1/files/..%2fsecret.ts", "/watch/..%2f..%2fsecret.ts",
				"/watch/%2e%2e%2fsecret.ts", "/origin/demo/..;/..;/secret.ts", "/live/demo/..;/..;/secret.m3u8")) {
			edges.add(arguments(read(target, 400, 404)));
		}
		edges.add(arguments(read("/origin/demo/escape.ts", 404)));
		edges.add(arguments(read("/live/demo/escape.m3u8", 404)));
		edges.add(arguments(read("/origin/demo/0.ts", 200)));
		edges.add(arguments(read("/live/demo/index.m3u8", 200)));
		return SeededCases.of(1006, 3000, edges, (gen) -> {
			String marker = marker(gen);
			HostilePaths.Drawn path = HostilePaths.draw(gen, marker, true);
			String decoded = path.decoded();
			boolean validName = HostilePaths.boxRefusal(decoded) == null;
			HostileCase read = switch (gen.intBetween(0, 5)) {
				case 0 -> read("/api/v1/files" + path.raw(), validName ? 404 : 400);
				case 1 -> read("/r" + path.raw(), validName ? 404 : 400);
				case 2 -> read("/r" + path.raw() + "?format=" + gen.oneOf("json", "%00", "%3Cscript%3E", "")
						+ gen.oneOf("", "&format=xml", "&x=..%2f..", "&ttl=-1"), validName ? 404 : 400);
				case 3 -> {
					String live = path.raw() + "/index.m3u8";
					yield read("/live" + live, HostilePaths.isSafeLivePath(HostilePaths.decode(live)) ? 404 : 400);
				}
				case 4 -> {
					String origin = path.raw() + "/" + marker + gen.oneOf(".ts", ".m4s", ".mp4");
					yield read("/origin" + origin,
							HostilePaths.isSafeLivePath(HostilePaths.decode(origin)) ? 404 : 400);
				}
				default -> {
					String segment = path.raw().substring(1).replace("/", gen.oneOf("", "%2F", "-"));
					String stream = HostilePaths.decode("/" + segment).substring(1);
					yield read("/watch/" + segment, stream.matches("[A-Za-z0-9_-]{1,64}") ? 200 : 404);
				}
			};
			return arguments(read.marked(marker));
		});
	}

	private static HostileCase read(String target, int... expected) {
		byte[] request = RawHttp.request("GET", target, List.of(), null);
		return new HostileCase("public read", "GET " + target, request, expected[0],
				expected[0] == 400 || (expected.length == 1 && expected[0] == 404), null, null, null)
			.alsoAllowing(expected);
	}

	// The checks every case gets

	private void run(HostileCase hostile) {
		if (keys == null) {
			keys = TestRedis.keys(this.nodeId.value());
		}
		Snapshot before = (last != null) ? last : Snapshot.take(keys);
		long start = System.nanoTime();
		Response response = RawHttp.send(this.port, hostile.request());
		long sent = System.nanoTime();
		Snapshot after = Snapshot.take(keys);
		nanosByStep.computeIfAbsent("request", (step) -> new long[1])[0] += sent - start;
		nanosByStep.computeIfAbsent("snapshot", (step) -> new long[1])[0] += System.nanoTime() - sent;
		last = after;
		if (hostile.uploadBody() != null && clashesWithAnAcceptedUpload(hostile.acceptedName())) {
			hostile = hostile.refusedWith(400, "(a file and a directory of the same name)");
		}
		statusesByCategory.computeIfAbsent(hostile.category(), (category) -> new TreeMap<>())
			.merge(response.status(), 1, Integer::sum);
		String shown = hostile.description() + " -> " + response.status() + " " + response.contentType() + " "
				+ abbreviate(response.text());
		assertThat(response.status()).as("no 5xx: %s", shown).isLessThan(500);
		assertThat(hostile.allowed()).as("status: %s", shown).contains(response.status());
		assertThat(response.text()).as("leaks a sentinel secret: %s", shown).doesNotContain(SECRET);
		if (hostile.problem() && response.status() != 200) {
			assertThat(response.contentType()).as("problem+json: %s", shown).startsWith("application/problem+json");
		}
		if (response.status() == 401) {
			assertThat(response.headers()).as("WWW-Authenticate: %s", shown).containsKey("www-authenticate");
		}
		Map<String, String> changes = after.changesFrom(before);
		if (hostile.acceptedName() != null && response.status() == 202) {
			String name = hostile.acceptedName();
			acceptedNames.add(name);
			assertThat(response.headers().get("location")).as("Location: %s", shown).startsWith("/api/v1/files/");
			assertThat(after.keys()).as("state of %s: %s", name, shown).contains(keys.fileState(name));
			if (hostile.uploadBody() != null) {
				acceptedUploads.add(name);
				Path stored = BASE.resolve("uploads").resolve(this.nodeId.value()).resolve(name.substring(1));
				assertThat(stored).as("stored upload: %s", shown).hasBinaryContent(hostile.uploadBody());
				// The upload, the directories above it and its TTL beside it
				changes.keySet()
					.removeIf((changed) -> stored.startsWith(Path.of(changed))
							|| Path.of(changed).equals(ExpirySidecar.of(stored)));
			}
		}
		else if (hostile.marker() != null) {
			refusedMarkers.add(hostile.marker());
		}
		assertThat(changes).as("files changed by %s", shown).isEmpty();
		List<String> strangers = after.keys()
			.stream()
			.filter((key) -> !before.keys().contains(key))
			.filter((key) -> key.indexOf('/') >= 0)
			.filter((key) -> !acceptedNames.contains(key.substring(key.indexOf('/'))))
			.toList();
		assertThat(strangers).as("Redis keys of names never accepted, after %s", shown).isEmpty();
	}

	private static boolean clashesWithAnAcceptedUpload(String name) {
		return acceptedUploads.stream()
			.anyMatch((accepted) -> accepted.startsWith(name + "/") || name.startsWith(accepted + "/"));
	}

	@AfterAll
	static void reportAndCheckTheQueue() throws IOException {
		int total = 0;
		StringBuilder report = new StringBuilder("Hostile cases per category (status: count):");
		for (Map.Entry<String, Map<Integer, Integer>> category : new TreeMap<>(statusesByCategory).entrySet()) {
			int count = category.getValue().values().stream().mapToInt(Integer::intValue).sum();
			total += count;
			report.append("\n  ")
				.append(category.getKey())
				.append(": ")
				.append(count)
				.append(' ')
				.append(category.getValue());
		}
		report.append("\n  total: ").append(total);
		nanosByStep.forEach((step, nanos) -> report.append("\n  time in ")
			.append(step)
			.append(": ")
			.append(nanos[0] / 1_000_000)
			.append(" ms"));
		logger.info("{}", report);
		System.out.println(report);
		if (keys != null) {
			List<String> tasks = new ArrayList<>(TestRedis.commands().lrange(keys.filesSendingQueue(), 0, -1));
			tasks.addAll(TestRedis.commands().lrange(keys.filesProcessing(), 0, -1));
			for (String task : tasks) {
				for (String marker : refusedMarkers) {
					assertThat(task).as("a queued task from a refused request").doesNotContain(marker);
				}
			}
			TestRedis.deleteKeysWithPrefix(keys.prefix());
		}
	}

	private static String marker(Gen gen) {
		return "h" + gen.string(MARKER_ALPHABET, 12, 12);
	}

	private static String quoted(String text) {
		return "\"" + json(text) + "\"";
	}

	private static String json(String text) {
		StringBuilder escaped = new StringBuilder();
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	/**
	 * One hostile request and what must come of it.
	 *
	 * @param category what it attacks, for the counts
	 * @param description the request, for failure messages
	 * @param request its bytes
	 * @param expected the status it must get
	 * @param problem whether the answer must be a problem
	 * @param acceptedName the name a 202 publishes, {@code null} when it must be refused
	 * @param uploadBody the bytes an accepted upload stores
	 * @param marker the unique text of a refused request, looked for in the queue at the
	 * end
	 * @param others statuses allowed besides the expected one
	 */
	record HostileCase(String category, String description, byte[] request, int expected, boolean problem,
			String acceptedName, byte[] uploadBody, String marker, Set<Integer> others) {

		HostileCase(String category, String description, byte[] request, int expected, boolean problem,
				String acceptedName, byte[] uploadBody, String marker) {
			this(category, description, request, expected, problem, acceptedName, uploadBody, marker, Set.of());
		}

		Set<Integer> allowed() {
			Set<Integer> allowed = new HashSet<>(this.others);
			allowed.add(this.expected);
			return allowed;
		}

		HostileCase marked(String marker) {
			return new HostileCase(this.category, this.description, this.request, this.expected, this.problem,
					this.acceptedName, this.uploadBody, marker, this.others);
		}

		HostileCase in(String category) {
			return new HostileCase(category, this.description, this.request, this.expected, this.problem,
					this.acceptedName, this.uploadBody, this.marker, this.others);
		}

		HostileCase refusedWith(int status, String why) {
			return new HostileCase(this.category, this.description + " " + why, this.request, status, true, null, null,
					this.marker, Set.of());
		}

		HostileCase alsoAllowing(int... statuses) {
			Set<Integer> others = new HashSet<>();
			for (int status : statuses) {
				others.add(status);
			}
			return new HostileCase(this.category, this.description, this.request, this.expected, this.problem,
					this.acceptedName, this.uploadBody, this.marker, others);
		}

		HostileCase withAcceptedName(String name) {
			return new HostileCase(this.category, this.description, this.request, this.expected, this.problem, name,
					this.uploadBody, this.marker, this.others);
		}

		HostileCase withoutAcceptedName() {
			return withAcceptedName(null);
		}

		@Override
		public String toString() {
			return this.description;
		}

	}

	/**
	 * An Authorization variant.
	 *
	 * @param headers its header lines
	 * @param accepted whether it carries the token as the README says
	 */
	record Authorization(List<String> headers, boolean accepted) {

	}

	/**
	 * A {@code FILE_PATH} value.
	 *
	 * @param json its JSON, {@code null} to leave the key out
	 * @param name the public name it must get, {@code null} when it must be refused
	 */
	record LocalFile(String json, String name) {

	}

	/**
	 * A {@code TTL} value.
	 *
	 * @param json its JSON, {@code null} to leave the key out
	 * @param valid whether it must be taken
	 */
	record Ttl(String json, boolean valid) {

	}

	/**
	 * What a request could have changed: every file and directory under the test's
	 * directory (size and modification time of files; links not followed), and the
	 * publisher's Redis keys.
	 *
	 * @param files path to what it is
	 * @param keys the keys with the publisher's prefix
	 */
	record Snapshot(Map<String, String> files, Set<String> keys) {

		static Snapshot take(RedisKeys keys) {
			long started = System.nanoTime();
			Map<String, String> files = new HashMap<>();
			try {
				// One stat per entry: the walker's own attributes, links not followed
				Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {

					@Override
					public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
						files.put(dir.toString(), "directory");
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
						files.put(file.toString(),
								attributes.size() + " bytes, modified " + attributes.lastModifiedTime().toMillis());
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFileFailed(Path file, IOException ex) {
						files.put(file.toString(), "gone while walked");
						return FileVisitResult.CONTINUE;
					}

				});
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			long walked = System.nanoTime();
			nanosByStep.computeIfAbsent("file walk", (step) -> new long[1])[0] += walked - started;
			Set<String> found = new HashSet<>();
			ScanArgs args = ScanArgs.Builder.matches(keys.prefix().replace("[", "\\[").replace("]", "\\]") + "*")
				.limit(100_000);
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = TestRedis.commands().scan(cursor, args);
				found.addAll(page.getKeys());
				cursor = page;
			}
			while (!cursor.isFinished());
			return new Snapshot(files, found);
		}

		Map<String, String> changesFrom(Snapshot before) {
			Map<String, String> changes = new TreeMap<>();
			this.files.forEach((path, now) -> {
				String was = before.files.get(path);
				if (!now.equals(was)) {
					changes.put(path, (was == null) ? "created: " + now : "was " + was + ", now " + now);
				}
			});
			before.files.keySet()
				.stream()
				.filter((path) -> !this.files.containsKey(path))
				.forEach((path) -> changes.put(path, "removed"));
			return changes;
		}

	}

}
