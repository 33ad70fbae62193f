package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Signed viewer URLs, the same table against the real nginx (its {@code secure_link}
 * module, with the lines {@link NginxConfig} writes) and the builtin server: a URL signed
 * by {@link ViewerUrlSignature#query} opens its file until it expires, and nothing else
 * does. Proves that the box computes the MD5 exactly as nginx does. Each server runs on a
 * free loopback port over one store; no Redis, no application.
 */
class SignedViewerUrlTests {

	private static final NodeCredential credential = TestTrust.boxCredential();

	private static final NodeCredential anotherBox = TestTrust.boxCredential();

	private static final String publisher = "/" + NodeId.random(Role.PUBLISHER).value();

	private static final byte[] content = "a signed segment".getBytes(StandardCharsets.US_ASCII);

	private static final Path base = FileServingTestSupport.createTempDirectory("box-signed-urls").resolve("store");

	private static final Map<String, Running> servers = new HashMap<>();

	private static Scheduler scheduler;

	enum Server {

		BUILTIN, NGINX

	}

	/** The three ways a box answers file requests. */
	enum Policy {

		/** Strict mode, signing on, a credential. */
		SIGNED(new ViewerUrlPolicy(true, credential.urlSecret())),

		/** Strict mode, signing on, no credential: no secret to check with. */
		SIGNED_WITHOUT_SECRET(new ViewerUrlPolicy(true, null)),

		/** Compatible mode, or signing off. */
		UNSIGNED(ViewerUrlPolicy.UNSIGNED);

		final ViewerUrlPolicy policy;

		Policy(ViewerUrlPolicy policy) {
			this.policy = policy;
		}

	}

	@BeforeAll
	static void storeFiles() throws IOException {
		Path directory = Files.createDirectories(base.resolve(publisher.substring(1)).resolve("dir"));
		Files.write(directory.resolve("seg.ts"), content);
		Files.write(directory.resolve("a b.ts"), content);
		Files.createDirectories(FileServerProbe.file(base).getParent());
		Files.writeString(FileServerProbe.file(base), "probe");
		scheduler = Schedulers.newBoundedElastic(4, 1000, "signed-url-tests");
	}

	@AfterAll
	static void stopServers() {
		servers.values().forEach(Running::stop);
		scheduler.dispose();
	}

	static Stream<Arguments> signedTable() {
		String file = publisher + "/dir/seg.ts";
		String signed = sign(file, inMinutes(10), credential);
		String valid = query(signed);
		List<Object[]> rows = new ArrayList<>();
		rows.add(row("valid", "GET", signed, 200));
		rows.add(row("valid, HEAD", "HEAD", signed, 200));
		rows.add(row("tampered md5", "GET",
				file + "?md5=" + flipFirst(argument(valid, "md5")) + "&expires=" + argument(valid, "expires"), 403));
		rows.add(row("expired", "GET", sign(file, Instant.now().minusSeconds(5), credential), 403));
		rows.add(row("no signature", "GET", file, 403));
		rows.add(row("no signature, HEAD", "HEAD", file, 403));
		rows.add(row("md5 only", "GET", file + "?md5=" + argument(valid, "md5"), 403));
		rows.add(row("expires only", "GET", file + "?expires=" + argument(valid, "expires"), 403));
		rows.add(row("other path, same signature", "GET", publisher + "/dir/a%20b.ts?" + valid, 403));
		rows.add(row("another box's secret", "GET", sign(file, inMinutes(10), anotherBox), 403));
		rows.add(row("expiry moved later", "GET", file + "?md5=" + argument(valid, "md5") + "&expires="
				+ (Long.parseLong(argument(valid, "expires")) + 3600), 403));
		rows.add(row("expiry with a leading zero", "GET",
				file + "?md5=" + argument(valid, "md5") + "&expires=0" + argument(valid, "expires"), 403));
		rows.add(row("signed over the decoded path", "GET",
				publisher + "/dir/a%20b.ts?" + query(sign(publisher + "/dir/a b.ts", inMinutes(10), credential)), 200));
		rows.add(row("signed over the encoded path", "GET",
				sign(publisher + "/dir/a%20b.ts", inMinutes(10), credential), 403));
		rows.add(row("argument names in capitals", "GET",
				file + "?MD5=" + argument(valid, "md5") + "&Expires=" + argument(valid, "expires"), 200));
		rows.add(row("among other arguments", "GET", file + "?start=1&" + valid + "&end=2", 200));
		rows.add(row("missing file, signed", "GET", sign(publisher + "/dir/missing.ts", inMinutes(10), credential),
				404));
		rows.add(row("missing file, not signed", "GET", publisher + "/dir/missing.ts", 403));
		// nginx hashes the decoded URI as UTF-8 bytes: a valid signature finds no file
		// (404), an invalid one is refused first (403)
		rows.add(row("non-ASCII name, signed", "GET",
				publisher + "/dir/%C3%BC.ts?" + query(sign(publisher + "/dir/\u00fc.ts", inMinutes(10), credential)),
				404));
		rows.add(row("non-ASCII name, signed over the encoded path", "GET",
				sign(publisher + "/dir/%C3%BC.ts", inMinutes(10), credential), 403));
		rows.add(row("probe, not signed", "GET", FileServerProbe.URL_PATH, 200));
		rows.add(row("preflight, not signed", "OPTIONS", file, 204));
		rows.add(row("outside the publisher directories", "GET", "/nothing/here.ts", 404));
		List<Arguments> table = new ArrayList<>();
		for (Server server : Server.values()) {
			for (Object[] row : rows) {
				table.add(arguments(server, row[0], row[1], row[2], row[3]));
			}
		}
		return table.stream();
	}

	@ParameterizedTest(name = "{0}: {1} -> {4}")
	@MethodSource("signedTable")
	void shouldServeOnlyValidUnexpiredSignatures(Server server, String name, String method, String pathAndQuery,
			int status) {
		HttpResponse<byte[]> response = send(server, Policy.SIGNED, method, pathAndQuery);
		assertThat(response.statusCode()).as("%s %s", method, pathAndQuery).isEqualTo(status);
		if (status == 200 && method.equals("GET") && !pathAndQuery.equals(FileServerProbe.URL_PATH)) {
			assertThat(response.body()).isEqualTo(content);
		}
		if (status == 403) {
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("signed segment");
		}
	}

	static Stream<Arguments> otherPolicies() {
		String file = publisher + "/dir/seg.ts";
		String signed = sign(file, inMinutes(10), credential);
		List<Arguments> table = new ArrayList<>();
		for (Server server : Server.values()) {
			table.add(arguments(server, Policy.SIGNED_WITHOUT_SECRET, file, 403));
			table.add(arguments(server, Policy.SIGNED_WITHOUT_SECRET, signed, 403));
			table.add(arguments(server, Policy.SIGNED_WITHOUT_SECRET, FileServerProbe.URL_PATH, 200));
			table.add(arguments(server, Policy.UNSIGNED, file, 200));
			// A signature is not checked where none is needed, as nginx without
			// secure_link ignores the arguments
			table.add(arguments(server, Policy.UNSIGNED, sign(file, Instant.now().minusSeconds(5), anotherBox), 200));
			table.add(arguments(server, Policy.UNSIGNED, FileServerProbe.URL_PATH, 200));
		}
		return table.stream();
	}

	@ParameterizedTest(name = "{0} {1}: {2} -> {3}")
	@MethodSource("otherPolicies")
	void shouldRefuseEveryFileWithoutSecretAndServeEveryFileUnsigned(Server server, Policy policy, String pathAndQuery,
			int status) {
		assertThat(send(server, policy, "GET", pathAndQuery).statusCode()).isEqualTo(status);
	}

	private static HttpResponse<byte[]> send(Server server, Policy policy, String method, String pathAndQuery) {
		Running running = servers.computeIfAbsent(server + "-" + policy, (key) -> start(server, policy));
		return FileServingTestSupport.send(method, "http://127.0.0.1:" + running.port() + pathAndQuery);
	}

	private static Running start(Server server, Policy policy) {
		int port = (server == Server.NGINX) ? FileServingTestSupport.freePort() : 0;
		BoxProperties properties = TestProperties.bind("box", BoxProperties.class,
				Map.of("box.base-directory", base.toString(), "box.server-ip", "127.0.0.1", "box.serving.data-port",
						Integer.toString(port), "box.serving.run-directory",
						base.resolveSibling("run-" + server + "-" + policy).toString()));
		if (server == Server.BUILTIN) {
			BuiltinFileServer builtin = new BuiltinFileServer(properties, scheduler, policy.policy, DataPortTls.NONE);
			builtin.start();
			return new Running(builtin.port(), builtin::stop);
		}
		NginxSupervisor nginx = new NginxSupervisor(FileServingTestSupport.nginxBinary(), properties.runDirectory(),
				() -> 7071, (appPort) -> NginxConfig.of(properties, appPort, policy.policy, DataPortTls.NONE), true,
				() -> {
				});
		nginx.start();
		awaitProbe(port);
		return new Running(port, nginx::stop);
	}

	/** nginx's master wrote its pid; its worker may take a moment to answer. */
	private static void awaitProbe(int port) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try {
				if (FileServingTestSupport.send("GET", "http://127.0.0.1:" + port + FileServerProbe.URL_PATH)
					.statusCode() == 200) {
					return;
				}
			}
			catch (IllegalStateException ex) {
				// Not listening yet
			}
			assertThat(System.nanoTime()).as("nginx answering on %s", port).isLessThan(deadline);
			Mono.delay(Duration.ofMillis(50)).block();
		}
	}

	private static Object[] row(String name, String method, String pathAndQuery, int status) {
		return new Object[] { name, method, pathAndQuery, status };
	}

	private static Instant inMinutes(int minutes) {
		return Instant.now().plus(Duration.ofMinutes(minutes));
	}

	/** The path and the query that signs it, as a publisher writes a viewer URL. */
	private static String sign(String path, Instant expiresAt, NodeCredential box) {
		return path + "?" + ViewerUrlSignature.query(path, expiresAt, box.urlSecret());
	}

	private static String query(String pathAndQuery) {
		return pathAndQuery.substring(pathAndQuery.indexOf('?') + 1);
	}

	private static String argument(String query, String name) {
		return BuiltinFileServer.argument(query, name);
	}

	/** Another first character: it carries six bits of the digest (the last may not). */
	private static String flipFirst(String md5) {
		return ((md5.charAt(0) == 'A') ? "B" : "A") + md5.substring(1);
	}

	private record Running(int port, Runnable stopper) {

		void stop() {
			this.stopper.run();
		}

	}

}
