package io.dandelion.network.inprocess;

import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.dandelion.network.inprocess.TestNetwork.Trust;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Our publisher with boxes of the original's kind, which never acknowledge a frame: a
 * copy counts once its bytes, fetched back from the box's data port, have the SHA-256 the
 * publisher sent; a box that stores other bytes never counts.
 */
@Tag(TestRedis.TAG)
// The original's boxes send no proof: only a network in compatible mode lists them
@WithTestNetwork(trust = Trust.COMPATIBLE)
class OriginalBoxTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path home;

	@TempDir
	Path boxBase;

	private TestNetwork network;

	private OriginalBoxStandIn box;

	@AfterEach
	void closeWhatTheTestAdded() {
		if (this.box != null) {
			this.box.close();
		}
	}

	@Test
	void shouldCountACopyOnABoxThatNeverAcksOnceItsBytesAreVerified() throws NoSuchAlgorithmException {
		this.box = new OriginalBoxStandIn("127.0.9.10", this.boxBase, (content) -> content);
		WebTestClient client = publisherWithTheBox("publisher.publish.replicas=1");
		byte[] content = randomBytes(200_000);
		String filePath = upload(client, "/old/box.ts", content);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(TestNetwork.describe(client, filePath)).containsEntry("state", "stored")
				.containsEntry("sha256", sha256(content)));
		URI location = client.get()
			.uri("/r" + filePath)
			.exchange()
			.expectStatus()
			.isFound()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		// No URL secret for a box of the original's kind: the URL stays unsigned
		assertThat(location.toString()).startsWith("http://127.0.9.10:" + OriginalBoxStandIn.DATA_PORT + "/")
			.endsWith(filePath);
		assertThat(location.getRawQuery()).isNull();
		assertThat(TestNetwork.fetch(location.toString())).isEqualTo(content);
	}

	/**
	 * The original's boxes sit behind an nginx TLS proxy with a self-signed certificate:
	 * the publisher trusts it through {@code TLS_TRUSTED_CERTIFICATES}, never by skipping
	 * verification.
	 */
	@Test
	void shouldPublishOverTlsToABoxWhoseSelfSignedCertificateIsTrusted() {
		SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(this.boxBase, "127.0.9.12");
		this.box = new OriginalBoxStandIn("127.0.9.12", this.boxBase.resolve("store"), (content) -> content,
				certificate);
		WebTestClient client = publisherWithTheBox("publisher.publish.replicas=1",
				"dandelion.tls.trusted-certificates=" + certificate.pem());
		String filePath = upload(client, "/tls/box.ts", randomBytes(30_000));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(TestNetwork.describe(client, filePath)).containsEntry("state", "stored"));
	}

	@Test
	void shouldNotConnectToABoxWhoseSelfSignedCertificateIsNotTrusted() {
		SelfSignedCertificate certificate = SelfSignedCertificate.forAddress(this.boxBase, "127.0.9.13");
		this.box = new OriginalBoxStandIn("127.0.9.13", this.boxBase.resolve("store"), (content) -> content,
				certificate);
		assertThat(this.box.register(this.network.entranceUrl())).containsEntry("MESSAGE", "ACCEPTED");
		WebTestClient client = TestNetwork.client(this.network.startPublisher(this.home));
		await().atMost(WAIT).untilAsserted(() -> assertThat(TestNetwork.box(client, this.box.id())).containsKey("id"));
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> assertThat(TestNetwork.box(client, this.box.id()).get("connection")).isNotEqualTo("READY"));
	}

	@Test
	void shouldNeverCountACopyWhoseBytesDifferOnABoxThatNeverAcks() {
		this.box = new OriginalBoxStandIn("127.0.9.11", this.boxBase, (content) -> {
			byte[] altered = content.clone();
			altered[altered.length / 2] ^= 1;
			return altered;
		});
		WebTestClient client = publisherWithTheBox("publisher.publish.replicas=1", "publisher.publish.ack-timeout=1s",
				"publisher.publish.max-attempts=2", "publisher.publish.max-wait=2s");
		String filePath = upload(client, "/old/altered.ts", randomBytes(50_000));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(TestNetwork.describe(client, filePath)).containsEntry("state", "failed"));
		assertThat((String) TestNetwork.describe(client, filePath).get("reason")).contains("SHA-256");
		client.get().uri("/r" + filePath).exchange().expectStatus().is5xxServerError();
	}

	private WebTestClient publisherWithTheBox(String... settings) {
		assertThat(this.box.register(this.network.entranceUrl())).containsEntry("MESSAGE", "ACCEPTED");
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home, settings);
		WebTestClient client = TestNetwork.client(publisher);
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(TestNetwork.box(client, this.box.id())).containsEntry("connection", "READY"));
		return client;
	}

	private static String upload(WebTestClient client, String path, byte[] content) {
		URI location = client.put()
			.uri("/api/v1/files" + path + "?ttl=120")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(content)
			.exchange()
			.expectStatus()
			.isAccepted()
			.returnResult(Void.class)
			.getResponseHeaders()
			.getLocation();
		return location.toString().substring("/api/v1/files".length());
	}

	private static String sha256(byte[] content) throws NoSuchAlgorithmException {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

}
