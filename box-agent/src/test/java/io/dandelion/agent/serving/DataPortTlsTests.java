package io.dandelion.agent.serving;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.dandelion.protocol.testing.TestProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.web.server.Ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The data port of a box serving TLS ({@code TLS_CERTIFICATE}, {@code TLS_PRIVATE_KEY}),
 * against the real nginx (with the lines {@link NginxConfig} writes) and the builtin
 * server alike: a signed viewer URL opens its file over HTTPS with TLS 1.3 and 1.2, with
 * the box's certificate; plain HTTP, TLS 1.1 and unsigned URLs get no file; the box's own
 * probe fetches over HTTPS, trusting that certificate alone. Each server runs on a free
 * loopback port over one store; no Redis, no application.
 */
class DataPortTlsTests {

	private static final NodeCredential credential = TestTrust.boxCredential();

	private static final String publisher = "/" + NodeId.random(Role.PUBLISHER).value();

	private static final String file = publisher + "/live/seg.ts";

	private static final byte[] content = "a segment over TLS".getBytes(StandardCharsets.US_ASCII);

	private static final Path directory = FileServingTestSupport.createTempDirectory("box-tls");

	private static final Path base = directory.resolve("store");

	private static final Map<Server, Running> servers = new HashMap<>();

	private static SelfSignedCertificate certificate;

	private static Scheduler scheduler;

	enum Server {

		BUILTIN, NGINX

	}

	@BeforeAll
	static void storeFiles() throws IOException {
		Files.createDirectories(base.resolve(file.substring(1)).getParent());
		Files.write(base.resolve(file.substring(1)), content);
		certificate = SelfSignedCertificate.forAddress(Files.createDirectories(directory.resolve("tls")), "127.0.0.1");
		scheduler = Schedulers.newBoundedElastic(4, 1000, "data-port-tls-tests");
	}

	@AfterAll
	static void stopServers() {
		servers.values().forEach(Running::stop);
		scheduler.dispose();
	}

	@ParameterizedTest
	@EnumSource(Server.class)
	void shouldServeASignedUrlOverTls13And12WithTheBoxsCertificate(Server server) throws Exception {
		String url = "https://127.0.0.1:" + running(server).port() + signed(file);
		for (String protocol : new String[] { "TLSv1.3", "TLSv1.2" }) {
			HttpResponse<byte[]> response = client(trusting(certificate.pem()), protocol)
				.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).as("%s over %s", url, protocol).isEqualTo(200);
			assertThat(response.body()).isEqualTo(content);
			assertThat(response.sslSession().map(SSLSession::getProtocol)).hasValue(protocol);
		}
		// Signatures are checked over TLS as over plain HTTP
		HttpResponse<byte[]> unsigned = client(trusting(certificate.pem()), "TLSv1.3").send(
				HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + running(server).port() + file)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(unsigned.statusCode()).isEqualTo(403);
	}

	@ParameterizedTest
	@EnumSource(Server.class)
	void shouldGiveNoFileOverPlainHttp(Server server) {
		String url = "http://127.0.0.1:" + running(server).port() + signed(file);
		try {
			HttpResponse<byte[]> response = FileServingTestSupport.send("GET", url);
			// nginx answers "400 The plain HTTP request was sent to HTTPS port"
			assertThat(response.statusCode()).as("GET %s", url).isEqualTo(400);
			assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).doesNotContain("a segment");
		}
		catch (IllegalStateException ex) {
			// The builtin server closes the connection at the first byte that is no TLS
			assertThat(ex).hasRootCauseInstanceOf(IOException.class);
		}
	}

	@ParameterizedTest
	@EnumSource(Server.class)
	void shouldRefuseTls11(Server server) throws Exception {
		int port = running(server).port();
		// The JDK's clients refuse TLS 1.1 themselves: ask OpenSSL, at the security level
		// that still allows it, and check with TLS 1.2 that the same command can connect
		OpenSsl tls12 = openSsl(port, "-tls1_2");
		assertThat(tls12.exitCode()).as("openssl s_client -tls1_2: %s", tls12.output()).isZero();
		assertThat(tls12.output()).contains("New, TLSv1.2, Cipher is");
		OpenSsl tls11 = openSsl(port, "-tls1_1");
		assertThat(tls11.exitCode()).as("openssl s_client -tls1_1: %s", tls11.output()).isNotZero();
		// The server's alert 70, and no session
		assertThat(tls11.output()).contains("alert protocol version", "Cipher is (NONE)");
	}

	@ParameterizedTest
	@EnumSource(Server.class)
	void shouldBeRefusedByAClientThatTrustsOnlyTheJdksAuthorities(Server server) {
		String url = "https://127.0.0.1:" + running(server).port() + signed(file);
		assertThatExceptionOfType(SSLHandshakeException.class)
			.isThrownBy(() -> client(SSLContext.getDefault(), "TLSv1.3")
				.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()));
	}

	@ParameterizedTest
	@EnumSource(Server.class)
	void shouldLetTheBoxProbeItsFileServerOverTls(Server server) throws IOException {
		Running running = running(server);
		FileServerProbe probe = new FileServerProbe(properties(server), running::port, tls(certificate), scheduler);
		probe.afterPropertiesSet();
		FileServerProbe.Result result = probe.await(Duration.ofSeconds(5));
		assertThat(result.uri().getScheme()).isEqualTo("https");
		assertThat(result.served()).as(result.problem()).isTrue();
		assertThat(probe.check().block(Duration.ofSeconds(10)).served()).isTrue();
	}

	@Test
	void shouldTrustOnlyTheBoxsOwnCertificateInItsProbe() throws IOException {
		// A certificate for the box's public address, not the local one the probe uses:
		// the probe pins the certificate instead of checking the name
		SelfSignedCertificate forPublicAddress = SelfSignedCertificate
			.forAddress(Files.createDirectories(directory.resolve("public")), "203.0.113.7");
		BoxProperties properties = properties(Server.BUILTIN);
		BuiltinFileServer server = new BuiltinFileServer(properties, scheduler, ViewerUrlPolicy.UNSIGNED,
				tls(forPublicAddress));
		server.start();
		try {
			FileServerProbe probe = new FileServerProbe(properties, server::port, tls(forPublicAddress), scheduler);
			probe.afterPropertiesSet();
			assertThat(probe.await(Duration.ofSeconds(5)).served()).isTrue();
			// Another certificate answering there is not the box's file server
			FileServerProbe other = new FileServerProbe(properties, server::port, tls(certificate), scheduler);
			other.afterPropertiesSet();
			FileServerProbe.Result result = other.await(Duration.ofSeconds(5));
			assertThat(result.served()).isFalse();
			assertThat(result.problem()).contains("SSLHandshakeException");
		}
		finally {
			server.stop();
		}
	}

	@Test
	void shouldRefuseToGiveNginxACertificateThatIsNoFile() throws IOException {
		Ssl ssl = new Ssl();
		ssl.setCertificate(Files.readString(certificate.pem()));
		ssl.setCertificatePrivateKey(Files.readString(certificate.privateKeyPem()));
		DataPortTls inline = DataPortTls.of(ssl);
		assertThat(inline.scheme()).isEqualTo("https");
		NginxConfig config = new NginxConfig(directory.resolve("run-inline"), base, "127.0.0.1", 7072, null, 7071, null,
				ViewerUrlPolicy.UNSIGNED, inline);
		assertThatIllegalStateException().isThrownBy(config::render).withMessageContaining("TLS_CERTIFICATE");
		assertThat(DataPortTls.of(null).scheme()).isEqualTo("http");
	}

	private static Running running(Server server) {
		return servers.computeIfAbsent(server, DataPortTlsTests::start);
	}

	private static Running start(Server server) {
		BoxProperties properties = properties(server);
		ViewerUrlPolicy signed = new ViewerUrlPolicy(true, credential.urlSecret());
		if (server == Server.BUILTIN) {
			BuiltinFileServer builtin = new BuiltinFileServer(properties, scheduler, signed, tls(certificate));
			builtin.start();
			return new Running(builtin.port(), builtin::stop);
		}
		NginxSupervisor nginx = new NginxSupervisor(FileServingTestSupport.nginxBinary(), properties.runDirectory(),
				() -> 7071, (appPort) -> NginxConfig.of(properties, appPort, signed, tls(certificate)), true, () -> {
				});
		nginx.start();
		int port = properties.serving().dataPort();
		awaitListening(port);
		return new Running(port, nginx::stop);
	}

	private static BoxProperties properties(Server server) {
		int port = (server == Server.NGINX) ? FileServingTestSupport.freePort() : 0;
		return TestProperties.bind("box", BoxProperties.class,
				Map.of("box.base-directory", base.toString(), "box.server-ip", "127.0.0.1", "box.serving.data-port",
						Integer.toString(port), "box.serving.run-directory",
						directory.resolve("run-" + server).toString()));
	}

	/** nginx's master wrote its pid; its worker may take a moment to answer. */
	private static void awaitListening(int port) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException ex) {
				assertThat(System.nanoTime()).as("nginx listening on %s", port).isLessThan(deadline);
				Mono.delay(Duration.ofMillis(50)).block();
			}
		}
	}

	private static DataPortTls tls(SelfSignedCertificate certificate) {
		Ssl ssl = new Ssl();
		ssl.setCertificate(certificate.pem().toString());
		ssl.setCertificatePrivateKey(certificate.privateKeyPem().toString());
		return DataPortTls.of(ssl);
	}

	private static String signed(String path) {
		return path + "?"
				+ ViewerUrlSignature.query(path, Instant.now().plus(Duration.ofMinutes(10)), credential.urlSecret());
	}

	private static HttpClient client(SSLContext context, String protocol) {
		SSLParameters parameters = new SSLParameters();
		parameters.setProtocols(new String[] { protocol });
		return HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.sslContext(context)
			.sslParameters(parameters)
			.build();
	}

	private static SSLContext trusting(Path pem) throws Exception {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		try (InputStream in = Files.newInputStream(pem)) {
			store.setCertificateEntry("box", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	/** A TLS handshake by {@code openssl s_client}, bounded. */
	private static OpenSsl openSsl(int port, String protocol) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, protocol,
				"-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", certificate.pem().toString())
			.redirectErrorStream(true)
			.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl s_client ended").isTrue();
		return new OpenSsl(process.exitValue(), output);
	}

	private record OpenSsl(int exitCode, String output) {

	}

	private record Running(int port, Runnable stopper) {

		void stop() {
			this.stopper.run();
		}

	}

}
