package io.dandelion.support.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A real TLS server with a self-signed certificate: trusted only through the PEM file,
 * and only for the address it names.
 */
class ClientTlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private DisposableServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.disposeNow();
		}
	}

	@Test
	void shouldTrustASelfSignedServerThroughThePemFile() throws IOException {
		SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(this.directory, "127.0.0.1");
		this.server = serve(certificate);
		assertThat(get(new ClientTls(certificate.pem()).apply(HttpClient.create()))).isEqualTo("HI");
	}

	@Test
	void shouldRefuseASelfSignedServerWithoutThePemFile() throws IOException {
		this.server = serve(SelfSignedCertificate.forAddress(this.directory, "127.0.0.1"));
		HttpClient client = new ClientTls(null).apply(HttpClient.create());
		assertThatException().isThrownBy(() -> get(client));
	}

	@Test
	void shouldRefuseATrustedCertificateForAnotherAddress() throws IOException {
		SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(this.directory, "127.0.0.2");
		this.server = serve(certificate);
		HttpClient client = new ClientTls(certificate.pem()).apply(HttpClient.create());
		assertThatException().isThrownBy(() -> get(client));
	}

	@Test
	void shouldNameTheFileThatHoldsNoCertificate() throws IOException {
		Path garbage = Files.writeString(this.directory.resolve("not-a-cert.pem"), "hello");
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientTls(garbage))
			.withMessageContaining("not-a-cert.pem");
		Path missing = this.directory.resolve("missing.pem");
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientTls(missing))
			.withMessageContaining("missing.pem");
	}

	private String get(HttpClient client) {
		return client.get()
			.uri("https://127.0.0.1:" + this.server.port() + "/")
			.responseContent()
			.aggregate()
			.asString()
			.block(TIMEOUT);
	}

	private static DisposableServer serve(SelfSignedCertificate certificate) throws IOException {
		var context = SslContextBuilder.forServer(certificate.keyManagers()).build();
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(context))
			.route((routes) -> routes.get("/", (request, response) -> response.sendString(Mono.just("HI"))))
			.bindNow();
	}

}
