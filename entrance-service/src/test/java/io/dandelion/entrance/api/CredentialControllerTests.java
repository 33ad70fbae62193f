package io.dandelion.entrance.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import io.dandelion.support.security.SigningKeyFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /dandelion/api/v1/credentials} and {@code /dandelion/api/v1/keys}: issuing,
 * importing, listing and revoking credentials with the admin token, and the public key.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "entrance.security.admin-token=" + CredentialControllerTests.ADMIN_TOKEN)
@WithTestRedis
class CredentialControllerTests {

	static final String ADMIN_TOKEN = "credential-controller-tests-token";

	private static final String CREDENTIALS = "/dandelion/api/v1/credentials";

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	private final MessageCodec codec = new MessageCodec();

	private WebTestClient admin;

	private WebTestClient anonymous;

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private ObjectMapper objectMapper;

	@Autowired
	private EntranceProperties properties;

	@BeforeEach
	void connect() {
		this.anonymous = TestClients.local(this.port);
		this.admin = this.anonymous.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN).build();
	}

	@Test
	void shouldIssueAFreshCredentialAndShowItsSecretOnce() throws Exception {
		String id = NodeId.random(Role.BOX).value();
		JsonNode body = this.objectMapper.readTree(put(id, null).expectStatus()
			.isCreated()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(body.fieldNames()).toIterable().containsExactly("ID", "CREDENTIAL");
		assertThat(body.get("ID").asText()).isEqualTo(id);
		NodeCredential credential = NodeCredential.parse(body.get("CREDENTIAL").asText());
		assertThat(credential.id().value()).isEqualTo(id);
		assertThat(body.get("CREDENTIAL").asText()).isEqualTo(id + ":" + credential.encodedSecret());
		assertThat(redis().hget(this.keys.credentials(), id)).isEqualTo(credential.encodedSecret());
		// Fresh each time
		String other = NodeId.random(Role.PUBLISHER).value();
		String otherCredential = this.objectMapper
			.readTree(put(other, Map.of()).expectStatus().isCreated().expectBody().returnResult().getResponseBody())
			.get("CREDENTIAL")
			.asText();
		assertThat(NodeCredential.parse(otherCredential).encodedSecret()).isNotEqualTo(credential.encodedSecret());
	}

	@Test
	void shouldImportAGivenSecret() {
		String id = NodeId.random(Role.PUBLISHER).value();
		String secret = NodeCredential.random(NodeId.parse(id)).encodedSecret();
		put(id, Map.of("SECRET", secret)).expectStatus()
			.isCreated()
			.expectBody()
			.json("{\"ID\": \"" + id + "\", \"CREDENTIAL\": \"" + id + ":" + secret + "\"}", true);
		assertThat(redis().hget(this.keys.credentials(), id)).isEqualTo(secret);
	}

	@Test
	void shouldAnswerConflictAndKeepTheCredentialWhenTheIdHasOne() {
		String id = NodeId.random(Role.BOX).value();
		put(id, null).expectStatus().isCreated();
		String kept = redis().hget(this.keys.credentials(), id);
		put(id, Map.of("SECRET", NodeCredential.random(NodeId.parse(id)).encodedSecret())).expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Credential exists")
			.jsonPath("$.id")
			.isEqualTo(id)
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("DELETE"))
			.jsonPath("$.instance")
			.isEqualTo(CREDENTIALS + "/" + id);
		assertThat(redis().hget(this.keys.credentials(), id)).isEqualTo(kept);
	}

	@Test
	void shouldAnswerBadRequestForAnIdThatCannotHaveACredential() {
		for (String id : List.of(NodeId.random(Role.ENTRANCE).value(), "nope", "box-3F2A",
				"box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f6")) {
			put(id, null).expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title")
				.isEqualTo("Invalid node ID")
				.jsonPath("$.detail")
				.value((String detail) -> assertThat(detail).contains("boxes and publishers"));
			this.admin.delete().uri(CREDENTIALS + "/{id}", id).exchange().expectStatus().isBadRequest();
			assertThat(redis().hget(this.keys.credentials(), id)).isNull();
		}
	}

	@Test
	void shouldAnswerBadRequestForASecretThatIsNotOne() {
		String id = NodeId.random(Role.BOX).value();
		String good = NodeCredential.random(NodeId.parse(id)).encodedSecret();
		int last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(good.charAt(42));
		String sameBytes = good.substring(0, 42)
				+ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(last ^ 1);
		List<Map<String, Object>> bodies = List.of(Map.of("SECRET", good.substring(1)), Map.of("SECRET", good + "A"),
				Map.of("SECRET", "+" + good.substring(1)), Map.of("SECRET", good.substring(0, 42) + "="),
				Map.of("SECRET", sameBytes), Map.of("SECRET", 12345), Map.of("SECRET", ""), Map.of("secret", good),
				Map.of("SECRET", good, "ID", id));
		for (Map<String, Object> body : bodies) {
			put(id, body).expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title")
				.isEqualTo("Invalid credential secret");
		}
		assertThat(redis().hget(this.keys.credentials(), id)).isNull();
	}

	@Test
	void shouldListTheIdsWithACredentialSortedAndNoSecret() throws Exception {
		List<String> ids = List.of(NodeId.random(Role.PUBLISHER).value(), NodeId.random(Role.BOX).value(),
				NodeId.random(Role.BOX).value());
		for (String id : ids) {
			put(id, null).expectStatus().isCreated();
		}
		byte[] body = this.admin.get()
			.uri(CREDENTIALS)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBody();
		JsonNode listed = this.objectMapper.readTree(body);
		List<String> listedIds = new ArrayList<>();
		listed.forEach((entry) -> {
			assertThat(entry.fieldNames()).toIterable().containsExactly("ID");
			listedIds.add(entry.get("ID").asText());
		});
		assertThat(listedIds).containsAll(ids).isSorted();
		for (String id : ids) {
			assertThat(new String(body)).doesNotContain(redis().hget(this.keys.credentials(), id));
		}
	}

	@Test
	void shouldRevokeABoxCredentialAndDropTheBoxAtOnce() throws Exception {
		String boxId = NodeId.random(Role.BOX).value();
		NodeCredential credential = issue(boxId);
		assertThat(send(MessageAuth.sign(heartbeat(boxId), credential, Instant.now())))
			.isInstanceOf(ExchangeReply.class);
		this.anonymous.get().uri("/dandelion/api/v1/boxes/{id}", boxId).exchange().expectStatus().isOk();
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		NodeCredential publisher = issue(publisherId);
		assertThat(((SearchReply) send(
				MessageAuth.sign(new SearchRequest(publisherId, "127.0.2.50", null, null), publisher, Instant.now())))
			.boxSet()).containsKey(boxId);

		this.admin.delete()
			.uri(CREDENTIALS + "/{id}", boxId)
			.exchange()
			.expectStatus()
			.isNoContent()
			.expectBody()
			.isEmpty();

		assertThat(redis().hget(this.keys.credentials(), boxId)).isNull();
		assertThat(redis().hget(this.keys.authTimes(), boxId)).isNull();
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isNull();
		assertThat(redis().exists(this.keys.exchange(boxId), this.keys.trafficSeen(boxId))).isZero();
		this.anonymous.get().uri("/dandelion/api/v1/boxes/{id}", boxId).exchange().expectStatus().isNotFound();
		assertThat(((SearchReply) send(MessageAuth.sign(new SearchRequest(publisherId, "127.0.2.50", null, null),
				publisher, Instant.now().plusMillis(1))))
			.boxSet()).doesNotContainKey(boxId);
		assertThat(((ErrorReply) send(MessageAuth.sign(heartbeat(boxId), credential, Instant.now()))).errorCode())
			.isEqualTo("UNAUTHENTICATED");
		assertThat(redis().zscore(this.keys.boxSet(), boxId)).isNull();

		this.admin.delete()
			.uri(CREDENTIALS + "/{id}", boxId)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Unknown credential")
			.jsonPath("$.id")
			.isEqualTo(boxId);
		// Issued again: a fresh start, its earlier times forgotten
		issue(boxId);
	}

	@Test
	void shouldRevokeAPublisherCredential() {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		NodeCredential publisher = issue(publisherId);
		assertThat(send(
				MessageAuth.sign(new SearchRequest(publisherId, "127.0.2.50", null, null), publisher, Instant.now())))
			.isInstanceOf(SearchReply.class);
		this.admin.delete().uri(CREDENTIALS + "/{id}", publisherId).exchange().expectStatus().isNoContent();
		assertThat(((ErrorReply) send(MessageAuth.sign(new SearchRequest(publisherId, "127.0.2.50", null, null),
				publisher, Instant.now().plusMillis(1))))
			.errorCode()).isEqualTo("UNAUTHENTICATED");
	}

	@Test
	void shouldRefuseCredentialCallsWithoutTheTokenOrWithAWrongOne() {
		String id = NodeId.random(Role.BOX).value();
		for (WebTestClient client : List.of(this.anonymous,
				this.anonymous.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer wrong").build(),
				this.anonymous.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, ADMIN_TOKEN).build())) {
			client.put()
				.uri(CREDENTIALS + "/{id}", id)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectHeader()
				.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dandelion\"");
			client.get().uri(CREDENTIALS).exchange().expectStatus().isUnauthorized();
			client.delete().uri(CREDENTIALS + "/{id}", id).exchange().expectStatus().isUnauthorized();
			client.put()
				.uri("/dandelion/api/v1/entrances")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("url", "http://127.0.0.1:21101/dandelion/ws/"))
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
		// A guarded read is told the truth about itself, not that it changes state
		this.anonymous.get()
			.uri(CREDENTIALS)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("This call needs 'Authorization: Bearer' with ENTRANCE_ADMIN_TOKEN");
		// The handler mappings decode the path: so does the guard
		this.anonymous.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + "/dandelion/api/v1/%63redentials"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.admin.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + "/dandelion/api/v1/%63redentials"))
			.exchange()
			.expectStatus()
			.isOk();
		this.anonymous.get().uri("/dandelion/api/v1/credentials/").exchange().expectStatus().isUnauthorized();
		assertThat(redis().hget(this.keys.credentials(), id)).isNull();
		// Reading boxes, entrances and the public key needs no token
		this.anonymous.get().uri("/dandelion/api/v1/boxes").exchange().expectStatus().isOk();
		this.anonymous.get().uri("/dandelion/api/v1/entrances").exchange().expectStatus().isOk();
		this.anonymous.get().uri("/dandelion/api/v1/keys").exchange().expectStatus().isOk();
	}

	@Test
	void shouldServeThePublicKeyOfTheSigningKeyFile() {
		Path file = this.properties.signingKeyFile();
		assertThat(file).exists().hasFileName("entrance-signing-key.pem");
		String publicKey = Ed25519Keys.encode(SigningKeyFile.loadOrCreate(file).getPublic());
		this.anonymous.get()
			.uri("/dandelion/api/v1/keys")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"ID\": \"" + entrance.id().value() + "\", \"PUBLIC_KEY\": \"" + publicKey + "\"}", true);
	}

	private NodeCredential issue(String id) {
		String text = this.admin.put()
			.uri(CREDENTIALS + "/{id}", id)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(CredentialResponse.class)
			.returnResult()
			.getResponseBody()
			.credential();
		return NodeCredential.parse(text);
	}

	private WebTestClient.ResponseSpec put(String id, Map<String, Object> body) {
		WebTestClient.RequestBodySpec request = this.admin.put().uri(CREDENTIALS + "/{id}", id);
		return (body != null) ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
				: request.exchange();
	}

	private static ExchangeRequest heartbeat(String boxId) {
		return ExchangeRequest.of(boxId, "127.0.2.10", 7070, "http://127.0.2.10:7070/dandelion/" + boxId + "/ws/",
				BoxMetrics.NONE);
	}

	private Message send(Message request) {
		return this.codec.decode(new EntranceTestClient(this.port, null).request(this.codec.encode(request)));
	}

	private static RedisCommands<String, String> redis() {
		return TestRedis.commands();
	}

}
