package io.dandelion.entrance.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.CloseStatus;

import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.hostile.HostileMessages.Frame;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.SearchReply;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestClients;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More than ten thousand hostile inputs at a real entrance on a real port: WebSocket
 * frames (thousands per {@code dandelion.v2} connection, and some on connections of their
 * own) and HTTP requests at the REST API, generated from fixed seeds
 * ({@link io.dandelion.protocol.testing.SeededCases}). Each must get the answer worked
 * out from how it was made: the {@code ERROR_CODE} of a frame, the status class and
 * problem body of a request, never a 5xx. After each batch the entrance's Redis keys are
 * as they were, its connection still answers, its health is UP and it still takes a
 * signed heartbeat.
 * <p>
 * A failing case is named by its category and seed; re-run that case alone with
 * {@code -Dtest='EntranceHostileInputTests' -Ddandelion.test.seed=N} (every category then
 * makes the one case of that seed).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.security.admin-token=" + HostileRequests.ADMIN_TOKEN,
				// Thousands of refusals would each log a line
				"logging.level.io.dandelion.entrance.session.EntranceRequests=warn" })
@WithTestRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntranceHostileInputTests {

	private static final Logger logger = LoggerFactory.getLogger(EntranceHostileInputTests.class);

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	/** Frames per persistent connection. */
	private static final int BATCH = 1000;

	private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int HTTP_CONCURRENCY = 8;

	/** The frame limit of the entrance's WebSocket (4 × the 1 MiB message limit). */
	private static final int MAX_FRAME_BYTES = 4 * MessageCodec.DEFAULT_MAX_MESSAGE_CHARS;

	private final MessageCodec codec = new MessageCodec();

	private final Map<String, Integer> counts = new LinkedHashMap<>();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	private TestCredentials credentials;

	private NodeCredential knownBox;

	private NodeCredential knownPublisher;

	private HostileMessages messages;

	private HostileRequests requests;

	@BeforeAll
	void registerNodes() {
		this.credentials = new TestCredentials(this.keys);
		this.knownBox = this.credentials.of(NodeId.random(Role.BOX).value());
		NodeCredential credentialOnlyBox = this.credentials.of(NodeId.random(Role.BOX).value());
		this.knownPublisher = this.credentials.of(NodeId.random(Role.PUBLISHER).value());
		String heartbeat = this.codec.encode(this.credentials.sign(heartbeat()));
		assertThat(request(heartbeat)).isInstanceOf(ExchangeReply.class);
		String search = this.codec.encode(this.credentials.sign(search()));
		assertThat(request(search)).isInstanceOf(SearchReply.class);
		this.messages = new HostileMessages(new HostileMessages.Fixture(entrance.id().value(), this.knownBox,
				credentialOnlyBox, this.knownPublisher, heartbeat, search));
		this.requests = new HostileRequests(
				new HostileRequests.Fixture(this.knownBox.id().value(), this.knownPublisher.id().value()));
	}

	@AfterAll
	void logCounts() {
		int total = this.counts.values().stream().mapToInt(Integer::intValue).sum();
		logger.info("Hostile inputs at the entrance, {} in all:{}", total,
				this.counts.entrySet()
					.stream()
					.map((count) -> String.format("%n  %6d  %s", count.getValue(), count.getKey()))
					.collect(Collectors.joining()));
	}

	@Test
	void shouldRefuseEveryHostileFrameWithItsCodeAndKeepThePersistentConnection() {
		long started = System.nanoTime();
		List<HostileMessages.Case> cases = this.messages.persistentCases();
		logger.info("Made {} hostile frames in {} ms", cases.size(), (System.nanoTime() - started) / 1_000_000);
		for (int from = 0; from < cases.size(); from += BATCH) {
			long batchStarted = System.nanoTime();
			List<HostileMessages.Case> batch = cases.subList(from, Math.min(cases.size(), from + BATCH));
			State before = state();
			try (HostileConnection connection = HostileConnection.open(this.port, true)) {
				batch.forEach((hostile) -> connection.send(hostile.frame()));
				List<String> replies = connection.replies(batch.size(), BATCH_TIMEOUT);
				List<String> failures = new ArrayList<>();
				for (int i = 0; i < batch.size(); i++) {
					String failure = (i < replies.size()) ? check(batch.get(i), replies.get(i))
							: "no reply (connection "
									+ (connection.hasEnded() ? "ended " + connection.closeStatus() : "open") + ")";
					if (failure != null) {
						failures.add(batch.get(i) + "\n      -> " + failure);
					}
				}
				assertThat(failures).as(describe(failures)).isEmpty();
				assertThat(connection.hasEnded()).as("connection ended: %s", connection.closeStatus()).isFalse();
				assertThat(state()).as("the entrance's state after %d refused frames", batch.size()).isEqualTo(before);
				// An error reply does not end the session:
				// a valid request is still served
				connection.send(Frame.text(this.codec.encode(this.credentials.sign(search()))));
				assertThat(connection.replies(1, TIMEOUT)).singleElement()
					.satisfies((reply) -> assertThat(this.codec.decode(reply)).isInstanceOf(SearchReply.class));
			}
			assertHealthy();
			batch.forEach((hostile) -> count(hostile.category().label()));
			logger.info("{} hostile frames refused on one connection, state and health checked, in {} ms", batch.size(),
					(System.nanoTime() - batchStarted) / 1_000_000);
		}
	}

	@Test
	void shouldAnswerAHostileFrameOnAConnectionOfItsOwnAndClose() {
		List<HostileMessages.Case> cases = this.messages.cases(HostileMessages.Category.ONE_SHOT);
		State before = state();
		List<String> failures = new ArrayList<>();
		for (HostileMessages.Case hostile : cases) {
			try (HostileConnection connection = HostileConnection.open(this.port, false)) {
				connection.send(hostile.frame());
				List<String> replies = connection.replies(1, TIMEOUT);
				String failure = replies.isEmpty() ? "no reply" : check(hostile, replies.get(0));
				if (failure == null && !connection.awaitEnd(TIMEOUT)) {
					failure = "the entrance kept a connection without dandelion.v2 open after its reply";
				}
				if (failure != null) {
					failures.add(hostile + "\n      -> " + failure);
				}
			}
			count(hostile.category().label());
		}
		assertThat(failures).as(describe(failures)).isEmpty();
		assertThat(state()).isEqualTo(before);
		assertHealthy();
	}

	@Test
	void shouldCloseAConnectionThatSendsAFrameOverTheFrameLimitAndServeTheNext() {
		List<Frame> frames = List.of(Frame.text("x".repeat(MAX_FRAME_BYTES + 1)),
				Frame.text("{\"ID\":\"" + "\u20ac".repeat(2_000_000) + "\"}"), Frame.binary(new byte[5_000_000]));
		State before = state();
		for (Frame frame : frames) {
			try (HostileConnection connection = HostileConnection.open(this.port, true)) {
				connection.send(frame);
				assertThat(connection.awaitEnd(TIMEOUT)).as("connection closed after %s", frame).isTrue();
				assertThat(connection.replies(1, Duration.ZERO)).as("replies to %s", frame).isEmpty();
				CloseStatus status = connection.closeStatus();
				if (status != null) {
					assertThat(status.getCode()).isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
				}
			}
			count("ws: frames over the frame limit (connection closed)");
		}
		assertThat(state()).isEqualTo(before);
		assertHealthy();
	}

	@Test
	void shouldRefuseHostileRequestsWithoutAServerErrorOrAChange() {
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection()).responseTimeout(Duration.ofSeconds(20));
		for (HostileRequests.Category category : HostileRequests.Category.values()) {
			long started = System.nanoTime();
			List<HostileRequests.Case> cases = this.requests.cases(category);
			State before = state();
			List<Answer> answers = Flux.fromIterable(cases)
				.flatMapSequential((hostile) -> send(http, hostile.request()), HTTP_CONCURRENCY)
				.collectList()
				.block(Duration.ofSeconds(120));
			List<String> failures = new ArrayList<>();
			for (int i = 0; i < cases.size(); i++) {
				String failure = check(cases.get(i).request(), Objects.requireNonNull(answers).get(i));
				if (failure != null) {
					failures.add(cases.get(i) + "\n      -> " + failure);
				}
			}
			assertThat(failures).as(describe(failures)).isEmpty();
			assertThat(state()).as("the entrance's state after %s", category.label()).isEqualTo(before);
			assertHealthy();
			cases.forEach((hostile) -> count(hostile.category().label()));
			logger.info("{} hostile requests ({}) refused, state and health checked, in {} ms; statuses {}",
					cases.size(), category.label(), (System.nanoTime() - started) / 1_000_000, answers.stream()
						.collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting())));
		}
	}

	// Frames

	/** What is wrong with a reply to a frame, or {@code null}. */
	private String check(HostileMessages.Case hostile, String reply) {
		Message message;
		try {
			message = this.codec.decode(reply);
		}
		catch (MessageFormatException ex) {
			return "a reply that does not read: " + reply;
		}
		if (!(message instanceof ErrorReply error)) {
			return "not refused: " + shorten(reply);
		}
		if (!hostile.expectedCode().equals(error.errorCode())) {
			return "ERROR_CODE " + error.errorCode() + ", not " + hostile.expectedCode() + ": " + error.error();
		}
		if (!entrance.id().value().equals(error.id()) || error.error() == null || error.error().isBlank()) {
			return "an error reply without the entrance's ID or an ERROR: " + shorten(reply);
		}
		return null;
	}

	// Requests

	/** An HTTP answer, or how the exchange failed. */
	private record Answer(int status, String contentType, String wwwAuthenticate, String body, Throwable failure) {

	}

	private Mono<Answer> send(HttpClient http, HostileRequests.Request request) {
		HttpClient client = http.headers((headers) -> {
			request.headers().forEach((header) -> headers.add(header.getKey(), header.getValue()));
			if (request.body() != null) {
				headers.set("Content-Length", request.body().length);
			}
		});
		HttpClient.RequestSender sender = client
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(request.method()))
			.uri("http://127.0.0.1:" + this.port + request.path());
		HttpClient.ResponseReceiver<?> receiver = (request.body() != null)
				? sender.send((outgoing, out) -> out.sendByteArray(Mono.just(request.body()))) : sender;
		return receiver
			.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.status().code(), response.responseHeaders().get("Content-Type"),
						response.responseHeaders().get("WWW-Authenticate"), body, null)))
			.onErrorResume((ex) -> Mono.just(new Answer(0, null, null, "", ex)));
	}

	/** What is wrong with an answer to a request, or {@code null}. */
	private String check(HostileRequests.Request request, Answer answer) {
		if (answer.failure() != null) {
			return "no answer: " + answer.failure();
		}
		int status = answer.status();
		String summary = status + " " + answer.contentType() + " " + shorten(answer.body());
		if (status >= 500) {
			return "a server error: " + summary;
		}
		for (String secret : List.of(this.knownBox.encodedSecret(), this.knownPublisher.encodedSecret(),
				HostileRequests.ADMIN_TOKEN)) {
			if (answer.body().contains(secret)) {
				return "a secret in the answer: " + summary;
			}
		}
		if (request.anonymous() && status < 300 && answer.body().contains(this.knownPublisher.id().value())) {
			return "the credentials listed without the token: " + summary;
		}
		boolean refused = status >= 400 && status < 500;
		boolean problem = answer.contentType() != null && answer.contentType().startsWith("application/problem+json");
		boolean bodyExpected = !"HEAD".equals(request.method());
		return switch (request.expect()) {
			case UNAUTHORIZED -> (status == 401 && (problem || !bodyExpected) && answer.wwwAuthenticate() != null)
					? null : "not 401 with a problem body and WWW-Authenticate: " + summary;
			case BAD_REQUEST -> (status == 400 && problem) ? null : "not 400 with a problem body: " + summary;
			case REFUSED -> (refused && (problem || !bodyExpected)) ? null : "not 4xx with a problem body: " + summary;
			case READ_OR_REFUSED -> {
				boolean read = status >= 200 && status < 300
						&& List.of("GET", "HEAD", "OPTIONS").contains(request.method());
				boolean problemOrNoBody = problem || !bodyExpected || "OPTIONS".equals(request.method());
				yield (read || (refused && problemOrNoBody)) ? null
						: "neither a read nor 4xx with a problem body: " + summary;
			}
			case REFUSED_BY_SERVER -> refused ? null : "not 4xx: " + summary;
		};
	}

	// The entrance's state and health

	/** The entrance's Redis keys and the boxes its API lists. */
	private record State(Map<String, Object> redis, List<String> boxes) {

	}

	private State state() {
		JsonNode listed = TestClients.local(this.port)
			.get()
			.uri("/dandelion/api/v1/boxes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		List<String> boxes = new ArrayList<>();
		Objects.requireNonNull(listed).forEach((box) -> boxes.add(box.get("id").asText()));
		return new State(RedisSnapshot.of(this.keys.prefix()), boxes);
	}

	/** Health UP, and a signed heartbeat accepted on a new connection. */
	private void assertHealthy() {
		TestClients.local(this.port)
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		Message reply = request(this.codec.encode(this.credentials.sign(heartbeat())));
		assertThat(reply).isInstanceOf(ExchangeReply.class);
		assertThat(((ExchangeReply) reply).accepted()).isTrue();
	}

	private Message request(String text) {
		try (HostileConnection connection = HostileConnection.open(this.port, false)) {
			connection.send(Frame.text(text));
			List<String> replies = connection.replies(1, TIMEOUT);
			assertThat(replies).as("reply to %s", text).hasSize(1);
			return this.codec.decode(replies.get(0));
		}
	}

	private ExchangeRequest heartbeat() {
		String boxId = this.knownBox.id().value();
		return ExchangeRequest
			.of(boxId, "127.0.2.10", 7070, "http://127.0.2.10:7070/dandelion/" + boxId + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072);
	}

	private SearchRequest search() {
		return new SearchRequest(this.knownPublisher.id().value(), "127.0.2.50", null, null);
	}

	private void count(String category) {
		this.counts.merge(category, 1, Integer::sum);
	}

	private static String describe(List<String> failures) {
		return failures.size() + " failures, the first: \n  "
				+ failures.stream().limit(20).collect(Collectors.joining("\n  "));
	}

	private static String shorten(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text;
	}

}
