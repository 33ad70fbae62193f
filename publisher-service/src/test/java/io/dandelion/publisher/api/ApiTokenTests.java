package io.dandelion.publisher.api;

import java.util.UUID;

import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.NestedTestConfiguration;
import org.springframework.test.context.NestedTestConfiguration.EnclosingConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may change the publisher's state ({@code PUBLISHER_API_TOKEN}): with a token, only
 * a call carrying it (401 otherwise); without one, nobody in strict mode (403) and anyone
 * in compatible mode. What viewers and readers fetch stays open.
 */
class ApiTokenTests {

	static final String TOKEN = "the-publisher-api-token";

	private static WebTestClient.ResponseSpec upload(WebTestClient client, String name, String authorization) {
		WebTestClient.RequestBodySpec put = client.put()
			.uri("/api/v1/files" + name + "?ttl=0")
			.contentType(MediaType.APPLICATION_OCTET_STREAM);
		if (authorization != null) {
			put.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		return put.bodyValue(new byte[] { 1, 2, 3 }).exchange();
	}

	private static WebTestClient.ResponseSpec queue(WebTestClient client, String authorization) {
		WebTestClient.RequestBodySpec post = client.post().uri("/api/v1/files").contentType(MediaType.APPLICATION_JSON);
		if (authorization != null) {
			post.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		return post.bodyValue("{\"FILE_PATH\": \"/tmp/hls/none.ts\", \"TTL\": 0}").exchange();
	}

	private static String newName() {
		return "/token/" + UUID.randomUUID() + ".ts";
	}

	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "publisher.base-directory=target/test-api-token-strict", "dandelion.security.mode=strict",
					"publisher.security.api-token=" + TOKEN })
	@WithTestRedis
	class StrictWithAToken {

		private WebTestClient client;

		@BeforeEach
		void connect(@LocalServerPort int port) {
			this.client = TestClients.local(port);
		}

		@Test
		void shouldRefuseAWriteWithoutTheTokenAndStoreNothing() {
			String name = newName();
			upload(this.client, name, null).expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dandelion\"")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.detail")
				.value((String detail) -> assertThat(detail).contains("PUBLISHER_API_TOKEN"));
			queue(this.client, null).expectStatus().isUnauthorized();
			this.client.get().uri("/api/v1/files" + name).exchange().expectStatus().isNotFound();
		}

		@Test
		void shouldRefuseAWriteWithAWrongToken() {
			upload(this.client, newName(), "Bearer not-the-token").expectStatus().isUnauthorized();
			upload(this.client, newName(), "Basic " + TOKEN).expectStatus().isUnauthorized();
			queue(this.client, "Bearer " + TOKEN + "x").expectStatus().isUnauthorized();
		}

		@Test
		void shouldTakeAWriteWithTheToken() {
			String name = newName();
			upload(this.client, name, "Bearer " + TOKEN).expectStatus().isAccepted();
			this.client.get().uri("/api/v1/files" + name).exchange().expectStatus().isOk();
			// Past the filter, the request is checked as before: a path outside the
			// allowed directories
			queue(this.client, "bearer " + TOKEN).expectStatus().isBadRequest();
		}

		@ParameterizedTest
		@ValueSource(strings = { "/api/v1/boxes", "/api/v1/keys", "/dandelion/", "/watch/demo" })
		void shouldLeaveReadsOpen(String path) {
			this.client.get().uri(path).exchange().expectStatus().isOk();
		}

		@ParameterizedTest
		@ValueSource(strings = { "/api/v1/files/token/unknown.ts", "/r/token/unknown.ts", "/live/unknown/index.m3u8",
				"/origin/unknown/1.ts" })
		void shouldLeaveViewerUrlsOpen(String path) {
			// Unknown, not unauthorised
			this.client.get().uri(path).exchange().expectStatus().isEqualTo(HttpStatus.NOT_FOUND);
		}

	}

	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "publisher.base-directory=target/test-api-token-strict-reports",
					"dandelion.security.mode=strict", "publisher.security.api-token=" + TOKEN })
	@WithTestRedis
	class StrictReports {

		@Test
		void shouldTakeAViewersReportWithoutTheToken(@LocalServerPort int port) {
			WebTestClient client = TestClients.local(port);
			// Past the filter: the report is checked, and names no box of the pool
			client.post()
				.uri("/api/v1/reports")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"FILE_PATH\": \"/live/demo/1.ts\", \"URL\": \"http://127.0.2.99:7072/p/live/demo/1.ts\", "
						+ "\"SHA256\": \"" + "0".repeat(64) + "\"}")
				.exchange()
				.expectStatus()
				.isNotFound();
			// Only that call: the rest of the API still needs the token
			client.post()
				.uri("/api/v1/reports/more")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{}")
				.exchange()
				.expectStatus()
				.isUnauthorized();
			client.put()
				.uri("/api/v1/reports")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{}")
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}

	}

	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "publisher.base-directory=target/test-api-token-strict-none",
					"dandelion.security.mode=strict" })
	@WithTestRedis
	class StrictWithoutAToken {

		private WebTestClient client;

		@BeforeEach
		void connect(@LocalServerPort int port) {
			this.client = TestClients.local(port);
		}

		@Test
		void shouldRefuseEveryWrite() {
			String name = newName();
			upload(this.client, name, null).expectStatus().isForbidden();
			upload(this.client, name, "Bearer " + TOKEN).expectStatus().isForbidden();
			queue(this.client, null).expectStatus().isForbidden();
			this.client.get().uri("/api/v1/files" + name).exchange().expectStatus().isNotFound();
		}

		@Test
		void shouldLeaveReadsOpen() {
			this.client.get().uri("/api/v1/boxes").exchange().expectStatus().isOk();
			this.client.get().uri("/r/token/unknown.ts").exchange().expectStatus().isNotFound();
		}

	}

	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "publisher.base-directory=target/test-api-token-compatible-none",
					"dandelion.security.mode=compatible" })
	@WithTestRedis
	class CompatibleWithoutAToken {

		@Test
		void shouldTakeAWriteFromAnyone(@LocalServerPort int port) {
			upload(TestClients.local(port), newName(), null).expectStatus().isAccepted();
		}

	}

	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "publisher.base-directory=target/test-api-token-compatible",
					"dandelion.security.mode=compatible", "publisher.security.api-token=" + TOKEN })
	@WithTestRedis
	class CompatibleWithAToken {

		@Test
		void shouldStillCheckAConfiguredToken(@LocalServerPort int port) {
			WebTestClient client = TestClients.local(port);
			upload(client, newName(), null).expectStatus().isUnauthorized();
			upload(client, newName(), "Bearer not-the-token").expectStatus().isUnauthorized();
			upload(client, newName(), "Bearer " + TOKEN).expectStatus().isAccepted();
		}

	}

}
