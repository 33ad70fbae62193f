package io.dandelion.publisher.watch;

import java.nio.file.Path;

import io.dandelion.publisher.trust.PublisherSigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.reactive.WebFluxTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@WebFluxTest(controllers = WatchController.class, properties = "spring.webflux.problemdetails.enabled=true")
@Import(WatchControllerTests.SigningKeyConfiguration.class)
class WatchControllerTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private PublisherSigningKey signingKey;

	@Test
	void shouldServeThePagePlayingTheStreamsLivePlaylist() {
		String page = this.client.get()
			.uri("/watch/demo-2_b")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("Content-Security-Policy", WatchController.CONTENT_SECURITY_POLICY)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("data-dandelion-src=\"../live/demo-2_b/index.m3u8\"")
			.contains("data-dandelion-stream=\"demo-2_b\"")
			.contains("data-dandelion-key=\"" + this.signingKey.publicKey() + "\"")
			.contains("<title>demo-2_b · Dandelion</title>")
			.contains("<script src=\"hls.min.js\" defer></script>")
			.contains(" muted autoplay ")
			.doesNotContain("http://", "https://");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a%20b", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "caf%C3%A9", "a%22b",
			"0123456789012345678901234567890123456789012345678901234567890123456789" })
	void shouldAnswerNotFoundProblemWhenTheNameIsNotAStreamName(String name) {
		this.client.get()
			.uri("/watch/" + name)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("No such stream")
			.jsonPath("$.instance")
			.exists();
	}

	@Test
	void shouldServeThePlayerScriptsFromTheJar() {
		for (String file : new String[] { "hls.min.js", "watch.js" }) {
			this.client.get()
				.uri("/watch/" + file)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentTypeCompatibleWith(new MediaType("text", "javascript"));
		}
		this.client.get()
			.uri("/watch/watch.css")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(new MediaType("text", "css"));
	}

	@Test
	void shouldLeaveNamesWithADotToTheStaticFiles() {
		this.client.get()
			.uri("/watch/no.such.file")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/** The publisher's key, in a file of its own. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SigningKeyConfiguration {

		@Bean
		PublisherSigningKey publisherSigningKey() {
			return PublisherSigningKey.loadOrCreate(Path.of("target", "test-watch-key", "publisher-signing-key.pem"));
		}

	}

}
