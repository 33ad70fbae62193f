package io.dandelion.entrance.federation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Other entrances are checked through their greeting page every 100 ms and left out of
 * replies after 500 ms without an answer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.federation.check-period=100ms", "entrance.federation.unreachable-after=500ms" })
@WithTestRedis
class EntranceDirectoryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@Autowired
	private EntranceDirectory directory;

	@Test
	void shouldKeepAnEntranceWhoseGreetingPageAnswersReachable() {
		try (GreetingServer other = new GreetingServer()) {
			assertThat(this.directory.add(other.url()).block(TIMEOUT)).isTrue();
			// Three times the unreachable time: only answered checks can keep it in.
			await().during(Duration.ofMillis(1500))
				.atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(entranceUrls()).contains(other.url()));
			EntranceStatus status = status(other.url());
			assertThat(status.reachable()).isTrue();
			assertThat(status.lastReachable()).isAfter(Instant.now().minusSeconds(1));
			this.directory.remove(other.url()).block(TIMEOUT);
		}
	}

	@Test
	void shouldDropAnEntranceThatStopsAnsweringAndTakeItBackWhenItAnswersAgain() {
		try (GreetingServer other = new GreetingServer()) {
			this.directory.add(other.url()).block(TIMEOUT);
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(entranceUrls()).contains(other.url()));
			other.answer(false);
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(entranceUrls()).doesNotContain(other.url()));
			// Still known, only not handed out.
			assertThat(status(other.url()).reachable()).isFalse();
			other.answer(true);
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(entranceUrls()).contains(other.url()));
			assertThat(status(other.url()).reachable()).isTrue();
			this.directory.remove(other.url()).block(TIMEOUT);
		}
	}

	@Test
	void shouldDropAnEntranceNobodyListensOn() throws IOException {
		String url = "http://127.0.0.1:" + closedPort() + "/dandelion/ws/";
		this.directory.add(url).block(TIMEOUT);
		// Reachable from when it was added until the checks have failed long enough.
		assertThat(entranceUrls()).contains(url);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(entranceUrls()).doesNotContain(url));
		assertThat(status(url).reachable()).isFalse();
		this.directory.remove(url).block(TIMEOUT);
	}

	@Test
	void shouldHandOutItsOwnUrlFirst() {
		List<String> urls = entranceUrls();
		assertThat(urls).first().isEqualTo(this.directory.ownInfo().url());
		assertThat(this.directory.ownInfo().url()).startsWith("http://127.0.0.1:").endsWith("/dandelion/ws/");
		assertThat(this.directory.ownInfo().id()).isEqualTo(entrance.id().value());
	}

	@Test
	void shouldForgetARemovedEntrance() {
		String url = "ws://127.0.0.1:11/dandelion/ws/";
		assertThat(this.directory.add(url).block(TIMEOUT)).isTrue();
		assertThat(this.directory.add(url).block(TIMEOUT)).isFalse();
		assertThat(this.directory.remove(url).block(TIMEOUT)).isTrue();
		assertThat(this.directory.remove(url).block(TIMEOUT)).isFalse();
		assertThat(this.directory.list().map(EntranceStatus::url).collectList().block(TIMEOUT)).doesNotContain(url);
	}

	@Test
	void shouldRefuseUrlsThatAreNotEntranceWebSocketUrls() {
		for (String url : Arrays.asList(null, "", "not a url", "ftp://127.0.0.1:21/dandelion/ws/",
				"http://127.0.0.1:7071/", "http://127.0.0.1:7071", "/dandelion/ws/", "http:///dandelion/ws/")) {
			this.directory.add(url)
				.as(StepVerifier::create)
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("http://HOST:PORT/dandelion/ws/"))
				.verify(TIMEOUT);
		}
	}

	/**
	 * Every form the original's {@code check_is_valid_url} lets through:
	 * {@code https?://(IPv4|localhost)(:port)?/.+}.
	 */
	@Test
	void shouldAcceptEveryUrlFormTheOriginalProduces() {
		for (String url : List.of("http://127.0.0.1:12/dandelion/entrance-123/ws/",
				"https://127.0.0.1:13/dandelion/ws/", "http://localhost:14/dandelion/ws/",
				"http://127.0.0.1/dandelion/ws/", "http://127.0.0.1:15/x", "http://127.0.0.1:16/dandelion/ws/?x=1")) {
			assertThat(this.directory.add(url).block(TIMEOUT)).as(url).isTrue();
			assertThat(this.directory.remove(url).block(TIMEOUT)).as(url).isTrue();
		}
	}

	@Test
	void shouldTurnAWebSocketUrlIntoItsGreetingPage() {
		assertThat(EntranceDirectory.greetingPage("http://127.0.0.1:7070/dandelion/entrance-123/ws/"))
			.isEqualTo(URI.create("http://127.0.0.1:7070/dandelion/entrance-123/"));
		assertThat(EntranceDirectory.greetingPage("wss://198.51.100.2:7443/dandelion/ws/"))
			.isEqualTo(URI.create("https://198.51.100.2:7443/dandelion/"));
		assertThat(EntranceDirectory.greetingPage("ws://[2001:db8::1]:7071/dandelion/ws/"))
			.isEqualTo(URI.create("http://[2001:db8::1]:7071/dandelion/"));
		assertThat(EntranceDirectory.greetingPage("http://127.0.0.1:7071/dandelion/ws/"))
			.isEqualTo(URI.create("http://127.0.0.1:7071/dandelion/"));
	}

	private List<String> entranceUrls() {
		return this.directory.entranceUrls().block(TIMEOUT);
	}

	private EntranceStatus status(String url) {
		return this.directory.list().filter((status) -> status.url().equals(url)).blockFirst(TIMEOUT);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
