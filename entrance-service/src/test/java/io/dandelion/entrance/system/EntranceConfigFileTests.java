package io.dandelion.entrance.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.dandelion.entrance.EntranceServiceApplication;
import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.dandelion.support.security.SigningKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entrance reads the entrance's keys of the original's {@code entrance-config.yaml}
 * into its settings (how the file becomes a property source is tested in
 * service-support).
 */
@ExtendWith(OutputCaptureExtension.class)
class EntranceConfigFileTests {

	@TempDir
	Path directory;

	@Test
	void shouldBindTheConfigFile(CapturedOutput output) throws IOException {
		Path file = Files.writeString(this.directory.resolve("entrance-config.yaml"), """
				ENTRANCE_IP: 203.0.113.9
				ENTRANCE_EXPIRE_BOX_TIME: 30
				ENTRANCE_ADMIN_TOKEN: from-the-config-file
				PUBLISH_TICKET_TTL: 120
				ENTRANCE_OTHER_URLS:
				  - https://198.51.100.1:7070/dandelion/ws/
				BASE_DIRECTORY: %s
				""".formatted(this.directory));
		try (ConfigurableApplicationContext context = new SpringApplication(EntranceServiceApplication.class)
			.run("--config=" + file, "--server.port=0")) {
			EntranceProperties properties = context.getBean(EntranceProperties.class);
			assertThat(properties.ip()).isEqualTo("203.0.113.9");
			assertThat(properties.expireBoxTime()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.otherUrls()).containsExactly(URI.create("https://198.51.100.1:7070/dandelion/ws/"));
			assertThat(properties.amountOfBoxesPerRequest()).isEqualTo(20);
			assertThat(properties.serverProxyPort()).isNull();
			assertThat(properties.baseDirectory()).isEqualTo(this.directory);
			assertThat(this.directory.resolve("entrance-id.txt")).exists();
			assertThat(properties.security().adminToken()).isEqualTo("from-the-config-file");
			assertThat(properties.security().ticketTtl()).isEqualTo(Duration.ofSeconds(120));
			assertThat(properties.security().authWindow()).isEqualTo(Duration.ofSeconds(60));
			// Made at first start, and its public key logged for boxes' configuration
			Path signingKey = this.directory.resolve("entrance-signing-key.pem");
			assertThat(properties.signingKeyFile()).isEqualTo(signingKey);
			assertThat(output).contains(
					"ENTRANCE_PUBLIC_KEYS: " + Ed25519Keys.encode(SigningKeyFile.loadOrCreate(signingKey).getPublic()));
			assertThat(output).doesNotContain("from-the-config-file");
		}
	}

	@Test
	void shouldServeHttpsAndAdvertiseItsUrlAsHttpsWithATlsCertificate() throws Exception {
		SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(this.directory, "127.0.0.1");
		Path file = Files.writeString(this.directory.resolve("entrance-config.yaml"), """
				ENTRANCE_IP: 127.0.0.1
				BASE_DIRECTORY: %s
				TLS_CERTIFICATE: %s
				TLS_PRIVATE_KEY: %s
				""".formatted(this.directory, certificate.pem(), certificate.privateKeyPem()));
		try (ConfigurableApplicationContext context = new SpringApplication(EntranceServiceApplication.class)
			.run("--config=" + file, "--server.port=0", "--server.address=127.0.0.1")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(context.getBean(EntranceDirectory.class).ownInfo().url())
				.isEqualTo("https://127.0.0.1:" + port + "/dandelion/ws/");
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			try (var in = Files.newInputStream(certificate.pem())) {
				trusted.setCertificateEntry("entrance",
						CertificateFactory.getInstance("X.509").generateCertificate(in));
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext tls = SSLContext.getInstance("TLS");
			tls.init(null, trust.getTrustManagers(), null);
			HttpResponse<String> greeting = HttpClient.newBuilder()
				.sslContext(tls)
				.build()
				.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/dandelion/"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(greeting.body()).startsWith("HI entrance-");
		}
	}

}
