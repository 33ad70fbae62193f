package io.dandelion.entrance.api;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strict mode without {@code ENTRANCE_ADMIN_TOKEN}: the calls that need the token are
 * refused with 403, whatever token is presented; reading stays open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
class AdminTokenUnsetTests {

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private WebTestClient client;

	@LocalServerPort
	private int port;

	@BeforeEach
	void connect() {
		this.client = TestClients.local(this.port)
			.mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer anything")
			.build();
	}

	@Test
	void shouldRefuseEveryCallThatNeedsTheTokenWithForbidden() {
		String id = NodeId.random(Role.BOX).value();
		this.client.put()
			.uri("/dandelion/api/v1/credentials/{id}", id)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("ENTRANCE_ADMIN_TOKEN"));
		this.client.get()
			.uri("/dandelion/api/v1/credentials")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("This call needs a token, but ENTRANCE_ADMIN_TOKEN is not set, so it is refused "
					+ "(SECURITY_MODE strict)");
		this.client.delete().uri("/dandelion/api/v1/credentials/{id}", id).exchange().expectStatus().isForbidden();
		this.client.put()
			.uri("/dandelion/api/v1/entrances")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "http://127.0.0.1:21201/dandelion/ws/"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.client.get().uri("/dandelion/api/v1/boxes").exchange().expectStatus().isOk();
		this.client.get().uri("/dandelion/api/v1/keys").exchange().expectStatus().isOk();
	}

}
