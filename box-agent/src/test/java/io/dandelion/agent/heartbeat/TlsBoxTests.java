package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A box with a certificate ({@code TLS_CERTIFICATE}, {@code TLS_PRIVATE_KEY}) whose
 * supervised nginx serves its data port: nginx starts with the certificate and the box's
 * start-up check fetches its probe over HTTPS, its health says the file server is UP, and
 * every heartbeat tells entrances {@code https} twice: in {@code CONNECT_WS} and in
 * {@code DATA_SCHEME}, with which publishers build viewer URLs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "box.server-ip=127.0.0.1", "box.serving.file-server=nginx" })
@WithTestRedis
class TlsBoxTests {

	static final TestEntrance entrance = TestEntrance.start(true);

	static final NodeCredential credential = TestTrust.boxCredential();

	/** Readable by others: nginx started as root runs its workers as nobody. */
	static final Path directory = readableTemporaryDirectory();

	static final SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(directory, "127.0.0.1");

	static final int dataPort = freePort();

	@LocalServerPort
	int appPort;

	@Autowired
	NodeId nodeId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", () -> directory.resolve("base").toString());
		registry.add("box.ping-entrance-freq", () -> "200ms");
		registry.add("box.entrance-urls[0]", entrance::url);
		registry.add("box.serving.data-port", () -> dataPort);
		registry.add("box.serving.nginx-binary",
				() -> Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx");
		registry.add("server.ssl.certificate", () -> certificate.pem().toString());
		registry.add("server.ssl.certificate-private-key", () -> certificate.privateKeyPem().toString());
		TestTrust.strictBox(registry, credential);
	}

	@AfterAll
	static void stopEntrance() {
		entrance.close();
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(credential.id().value()).prefix());
	}

	@Test
	void shouldServeItsDataPortOverHttpsAndSaySo() throws Exception {
		HttpResponse<String> health = trustingClient().send(
				HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.appPort + "/actuator/health")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
		assertThat(health.body()).contains("\"fileServer\":{\"status\":\"UP\"");

		ExchangeRequest exchange = EntranceClientTests.latest(entrance);
		assertThat(exchange.id()).isEqualTo(this.nodeId.value());
		assertThat(exchange.connectWs()).startsWith("https://127.0.0.1:" + this.appPort + "/");
		assertThat(exchange.dataPort()).isEqualTo(dataPort);
		assertThat(exchange.dataScheme()).isEqualTo(ExchangeRequest.TLS_DATA);
		assertThat(exchange.servesDataOverTls()).isTrue();
	}

	private static HttpClient trustingClient() throws Exception {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		try (InputStream in = Files.newInputStream(certificate.pem())) {
			store.setCertificateEntry("box", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(context).build();
	}

	private static Path readableTemporaryDirectory() {
		try {
			return Files.createTempDirectory("box-tls",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
