package io.dandelion.support.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.dandelion.protocol.testing.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A real Reactor Netty server configured as TLS_CERTIFICATE and TLS_PRIVATE_KEY configure
 * it, and real TLS handshakes against it.
 */
class ServerTlsProtocolsTests {

	@TempDir
	Path directory;

	@Test
	void shouldServeTls13And12WithThePemPairAndNothingOlder() throws Exception {
		SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(this.directory, "127.0.0.1");
		try (ConfigurableApplicationContext service = new SpringApplication(WebApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--server.ssl.certificate=" + certificate.pem(),
				"--server.ssl.certificate-private-key=" + certificate.privateKeyPem())) {
			int port = ((WebServerApplicationContext) service).getWebServer().getPort();
			SSLContext trusting = trusting(certificate.pem());
			assertThat(handshake(trusting, port, "TLSv1.3")).isEqualTo("TLSv1.3");
			assertThat(handshake(trusting, port, "TLSv1.2")).isEqualTo("TLSv1.2");
			// A client that trusts only the JDK's authorities refuses the self-signed
			// certificate
			assertThatExceptionOfType(SSLHandshakeException.class)
				.isThrownBy(() -> handshake(SSLContext.getDefault(), port, "TLSv1.3"));
		}
	}

	@Test
	void shouldAllowOnlyTls13And12WhenTheServerHasACertificate() {
		var factory = new NettyReactiveWebServerFactory();
		Ssl ssl = new Ssl();
		ssl.setCertificate("certificate.pem");
		factory.setSsl(ssl);
		new ServerTlsProtocols().customize(factory);
		assertThat(factory.getSsl().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
	}

	@Test
	void shouldLeaveAServerWithoutCertificatePlain() {
		ServerTlsProtocols protocols = new ServerTlsProtocols();
		var factory = new NettyReactiveWebServerFactory();
		protocols.customize(factory);
		assertThat(factory.getSsl()).isNull();
	}

	private static String handshake(SSLContext context, int port, String protocol) throws IOException {
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setEnabledProtocols(new String[] { protocol });
			socket.setSoTimeout(5_000);
			socket.startHandshake();
			return socket.getSession().getProtocol();
		}
	}

	private static SSLContext trusting(Path pem) throws Exception {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		try (InputStream in = Files.newInputStream(pem)) {
			store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApplication {

	}

}
