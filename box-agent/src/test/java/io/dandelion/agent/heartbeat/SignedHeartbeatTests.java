package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.agent.heartbeat.TestEntrance.Answer;
import io.dandelion.agent.heartbeat.TestEntrance.Received;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.MessageAuth.Proof;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A box with a credential: it takes its ID from it and proves it in every EXCHANGE, each
 * with a later {@code AUTH_TIME}, as an entrance checks them ({@link MessageAuth#verify}
 * with the credential's secret). An entrance that refuses the proof is logged once per
 * change, not every heartbeat, and the traffic waits for it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class SignedHeartbeatTests {

	static final TestEntrance entrance = TestEntrance.start(true);

	static final NodeCredential credential = TestTrust.boxCredential();

	@Autowired
	NodeId nodeId;

	@Autowired
	BoxProperties properties;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		EntranceClientTests.fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", entrance::url);
		TestTrust.strictBox(registry, credential);
	}

	@AfterAll
	static void stopEntrance() {
		entrance.close();
	}

	@AfterEach
	void acceptAgain() {
		entrance.answer(Answer.ACCEPT);
	}

	@Test
	void shouldTakeItsIdFromTheCredential() throws IOException {
		assertThat(this.nodeId).isEqualTo(credential.id());
		assertThat(Files.readString(this.properties.baseDirectory().resolve("box-id.txt")).strip())
			.isEqualTo(credential.id().value());
		assertThat(EntranceClientTests.latest(entrance).id()).isEqualTo(credential.id().value());
	}

	@Test
	void shouldProveTheCredentialInEveryHeartbeat() throws Exception {
		int before = entrance.received().size();
		await().atMost(EntranceClientTests.WAIT).until(() -> entrance.received().size() >= before + 5);
		List<ExchangeRequest> requests = entrance.received().stream().map(Received::request).toList();
		long previous = 0;
		for (ExchangeRequest request : requests) {
			Proof proof = MessageAuth.proof(request).orElseThrow();
			MessageAuth.verify(request, proof, credential.secret());
			MessageAuth.checkWindow(proof, Instant.now(), MessageAuth.DEFAULT_WINDOW);
			assertThat(proof.time()).as("AUTH_TIME after the one before").isGreaterThan(previous);
			previous = proof.time();
		}
	}

	@Test
	void shouldSignTheFieldsThatSendPublishersSomewhere() throws Exception {
		ExchangeRequest request = EntranceClientTests.latest(entrance);
		Proof proof = MessageAuth.proof(request).orElseThrow();
		for (ExchangeRequest forged : List.of(
				new ExchangeRequest(request.id(), "203.0.113.66", request.port(), request.connectWs(),
						request.dataPort(), request.dataScheme(), request.metrics(), request.geoip(),
						request.rankScore(), request.rankReasons(), request.traffic(), request.extra()),
				request.withDataPort(request.dataPort() + 1), request.withDataScheme(ExchangeRequest.TLS_DATA))) {
			assertThatExceptionOfType(AuthException.class)
				.isThrownBy(() -> MessageAuth.verify(forged, proof, credential.secret()));
		}
		assertThatExceptionOfType(AuthException.class)
			.isThrownBy(() -> MessageAuth.verify(request, proof, TestTrust.boxCredential().secret()));
	}

	@Test
	void shouldLogARefusedProofOncePerChangeAndKeepTheTraffic(CapturedOutput output) throws IOException {
		append("/unauthenticated/1.ts");
		entrance.answer(Answer.UNAUTHENTICATED);
		int refusedFrom = entrance.received().size();
		await().atMost(EntranceClientTests.WAIT)
			.until(() -> refusedWith("/unauthenticated/1.ts", Answer.UNAUTHENTICATED, refusedFrom) >= 4);
		assertThat(pendingUrls()).contains("/unauthenticated/1.ts");
		assertThat(occurrences(output, "refuses the box's heartbeats as unauthenticated")).isEqualTo(1);
		assertThat(output.getOut()).contains("check that CREDENTIAL is the one this entrance's operator issued");

		// Its message differs each time: still one line
		entrance.answer(Answer.STALE_REQUEST);
		int staleFrom = entrance.received().size();
		await().atMost(EntranceClientTests.WAIT)
			.until(() -> refusedWith("/unauthenticated/1.ts", Answer.STALE_REQUEST, staleFrom) >= 4);
		assertThat(occurrences(output, "refuses the box's heartbeats as stale")).isEqualTo(1);
		assertThat(pendingUrls()).contains("/unauthenticated/1.ts");

		entrance.answer(Answer.ACCEPT);
		await().atMost(EntranceClientTests.WAIT).until(() -> !pendingUrls().contains("/unauthenticated/1.ts"));
		assertThat(occurrences(output, "accepts the heartbeats again")).isEqualTo(1);

		// A new refusal after acceptance is news again
		entrance.answer(Answer.UNAUTHENTICATED);
		int againFrom = entrance.received().size();
		await().atMost(EntranceClientTests.WAIT)
			.until(() -> entrance.received()
				.stream()
				.skip(againFrom)
				.filter((received) -> received.answer() == Answer.UNAUTHENTICATED)
				.count() >= 2);
		assertThat(occurrences(output, "refuses the box's heartbeats as unauthenticated")).isEqualTo(2);
	}

	/** Heartbeats since {@code from} carrying the URL that were answered so. */
	private static long refusedWith(String url, Answer answer, int from) {
		return entrance.received()
			.stream()
			.skip(from)
			.filter((received) -> received.answer() == answer)
			.filter((received) -> received.request().traffic().stream().map(TrafficEntry::url).anyMatch(url::equals))
			.count();
	}

	private static int occurrences(CapturedOutput output, String text) {
		return output.getOut().split(Pattern.quote(text), -1).length - 1;
	}

	private List<String> pendingUrls() {
		RedisKeys keys = TestRedis.keys(this.nodeId.value());
		return TestRedis.commands()
			.zrange(keys.trafficPending(), 0, -1)
			.stream()
			.map((logId) -> TestRedis.commands().hget(keys.trafficFlow(logId), "url"))
			.toList();
	}

	private void append(String url) throws IOException {
		Path log = this.properties.accessLog();
		Files.createDirectories(log.getParent());
		Files.writeString(log, "127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET " + url + " HTTP/1.1\" 200 10\n",
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

}
