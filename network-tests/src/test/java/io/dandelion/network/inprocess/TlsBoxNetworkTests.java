package io.dandelion.network.inprocess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.network.inprocess.TestNetwork.Box;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boxes serving TLS ({@code TLS_CERTIFICATE}) with a self-signed certificate the
 * publisher trusts ({@code TLS_TRUSTED_CERTIFICATES}): the publisher publishes to them
 * over {@code wss://}, sends viewers to {@code https://} box URLs (they said
 * {@code DATA_SCHEME: https}) that serve the published bytes, and checks a viewer's
 * report by fetching the box's copy over HTTPS itself.
 */
@Tag(TestRedis.TAG)
@WithTestNetwork(tlsBoxes = true)
class TlsBoxNetworkTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String NAME = "/tls/clip.bin";

	@TempDir
	Path home;

	private TestNetwork network;

	@Test
	void shouldRedirectToHttpsBoxUrlsAndCheckCopiesOverHttps() throws IOException {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.publish.replicas=1");
		String publisherId = publisher.getBean(NodeId.class).value();
		WebTestClient client = TestNetwork.client(publisher);
		// Connected over wss://, the certificate checked against TLS_TRUSTED_CERTIFICATES
		await().atMost(WAIT)
			.until(() -> List.of(tokyo, frankfurt)
				.stream()
				.allMatch((box) -> "READY".equals(TestNetwork.box(client, box.id()).get("connection"))));
		assertThat(TestNetwork.box(client, tokyo.id()).get("connectWs").toString()).startsWith("wss://127.0.2.10:");

		byte[] content = new byte[64 * 1024];
		new Random(64).nextBytes(content);
		client.put()
			.uri("/api/v1/files" + NAME + "?ttl=600")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted();
		await().atMost(WAIT).until(() -> "stored".equals(TestNetwork.describe(client, NAME).get("state")));

		URI location = client.get()
			.uri("/r" + NAME)
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		Box holder = (location.getPort() == tokyo.dataPort()) ? tokyo : frankfurt;
		assertThat(location.toString())
			.startsWith("https://" + holder.ip() + ":" + holder.dataPort() + "/" + publisherId + NAME + "?md5=");
		assertThat(TestNetwork.isSigned(location.toString())).isTrue();
		assertThat(this.network.fetchTrustingTheBoxes(location.toString())).isEqualTo(content);
		assertThat(TestNetwork.describe(client, NAME).get("replicas").toString()).contains("url=https://")
			.doesNotContain("url=http://");

		// The publisher fetches the copy itself over HTTPS: it sees the bytes the owner
		// changed behind the box's back, and confirms the report
		TestNetwork.tamper(holder.stored(publisherId, NAME));
		TestClients.local(TestNetwork.port(publisher))
			.post()
			.uri("/api/v1/reports")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("FILE_PATH", NAME, "URL", location.toString(), "SHA256", sha256(new byte[] { 1 })))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.verdict")
			.isEqualTo("confirmed");
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
