package io.dandelion.publisher;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "publisher.base-directory=target/test-identity")
@WithTestRedis
class PublisherServiceApplicationTests {

	private WebTestClient client;

	@BeforeEach
	void connect(@LocalServerPort int port) {
		this.client = TestClients.local(port);
	}

	@Autowired
	private NodeId nodeId;

	@Test
	void shouldGreetWithThePublisherId() {
		assertThat(this.nodeId.role()).isEqualTo(Role.PUBLISHER);
		this.client.get()
			.uri("/dandelion/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.expectBody(String.class)
			.isEqualTo("HI " + this.nodeId);
	}

	@Test
	void shouldReportHealthIncludingRedis() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis.status")
			.isEqualTo("UP");
	}

}
