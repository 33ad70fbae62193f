package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.heartbeat.TestEntrance.Answer;
import io.dandelion.agent.heartbeat.TestEntrance.Received;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Served requests read from the access log reach the entrance once: removed only after an
 * ACCEPTED answer, sent again otherwise, and counted once across rotation and truncation
 * of the log.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
@DirtiesContext
class TrafficReportingTests {

	static final TestEntrance entrance = TestEntrance.start(true);

	@Autowired
	BoxProperties properties;

	@Autowired
	NodeId nodeId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		EntranceClientTests.fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", entrance::url);
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
	void shouldReportEachServedRequestOnce() throws IOException {
		append(line("/once/1.ts", 200, 1000), line("/once/missing.ts", 404, 100), line("/once/2.ts", 304, 200));
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(acceptedUrls("/once/")).containsExactly("/once/1.ts", "/once/2.ts"));
		await().atMost(EntranceClientTests.WAIT).until(() -> pendingUrls("/once/").isEmpty());
		// A few more heartbeats: nothing is sent again
		int received = entrance.received().size();
		await().atMost(EntranceClientTests.WAIT).until(() -> entrance.received().size() > received + 3);
		assertThat(acceptedUrls("/once/")).containsExactly("/once/1.ts", "/once/2.ts");
		assertThat(allEntries("/once/")).extracting(TrafficEntry::datetime).containsOnly("25/Nov/2026:17:20:01 +0000");
	}

	@Test
	void shouldSendEntriesAgainUntilAnEntranceAccepts() throws IOException {
		entrance.answer(Answer.ERROR);
		append(line("/refused/1.ts", 200, 10));
		await().atMost(EntranceClientTests.WAIT)
			.until(() -> allEntries("/refused/").stream()
				.filter((entry) -> entry.url().equals("/refused/1.ts"))
				.count() >= 2);
		assertThat(acceptedUrls("/refused/")).isEmpty();
		assertThat(pendingUrls("/refused/")).containsExactly("/refused/1.ts");
		entrance.answer(Answer.ACCEPT);
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(acceptedUrls("/refused/")).containsExactly("/refused/1.ts"));
		await().atMost(EntranceClientTests.WAIT).until(() -> pendingUrls("/refused/").isEmpty());
	}

	@Test
	void shouldKeepEntriesWhenTheEntranceHangsUpWithoutAnswering() throws IOException {
		entrance.answer(Answer.CLOSE);
		append(line("/hangup/1.ts", 200, 10));
		await().atMost(EntranceClientTests.WAIT).until(() -> allEntries("/hangup/").size() >= 2);
		// Each hang-up costs the connection; the box connects again (with backoff)
		assertThat(entrance.received()
			.stream()
			.filter((received) -> received.request().traffic().stream().anyMatch((e) -> e.url().startsWith("/hangup/")))
			.map(Received::connection)
			.distinct()
			.count()).isGreaterThanOrEqualTo(2);
		assertThat(pendingUrls("/hangup/")).containsExactly("/hangup/1.ts");
		entrance.answer(Answer.ACCEPT);
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(acceptedUrls("/hangup/")).containsExactly("/hangup/1.ts"));
		await().atMost(EntranceClientTests.WAIT).until(() -> pendingUrls("/hangup/").isEmpty());
	}

	@Test
	void shouldCountEachLineOnceAcrossRotationAndTruncation() throws IOException {
		append(line("/rotate/1.ts", 200, 1));
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(acceptedUrls("/rotate/")).contains("/rotate/1.ts"));
		append(line("/rotate/2.ts", 200, 1));
		Path log = this.properties.accessLog();
		Files.move(log, log.resolveSibling("access.log.1"));
		append(line("/rotate/3.ts", 200, 1));
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(acceptedUrls("/rotate/")).contains("/rotate/3.ts"));
		try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
			channel.truncate(0);
		}
		append(line("/rotate/4.ts", 200, 1));
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(acceptedUrls("/rotate/")).containsExactly("/rotate/1.ts", "/rotate/2.ts",
					"/rotate/3.ts", "/rotate/4.ts"));
	}

	@Test
	void shouldReportTheServedBandwidth() {
		int before = entrance.received().size();
		// Keep serving while waiting, so that every period has bytes to report
		await().atMost(EntranceClientTests.WAIT).until(() -> {
			append(line("/bandwidth/big.ts", 200, 50_000_000));
			return entrance.received()
				.stream()
				.skip(before)
				.anyMatch((received) -> received.request().metrics().servedBytesPerSecond() > 0);
		});
	}

	/** The URLs of entries the entrance received in heartbeats it accepted, in order. */
	private static List<String> acceptedUrls(String prefix) {
		return entrance.received()
			.stream()
			.filter((received) -> received.answer() == Answer.ACCEPT)
			.flatMap((received) -> received.request().traffic().stream())
			.map(TrafficEntry::url)
			.filter((url) -> url.startsWith(prefix))
			.toList();
	}

	private static List<TrafficEntry> allEntries(String prefix) {
		return entrance.received()
			.stream()
			.map(Received::request)
			.flatMap((request) -> request.traffic().stream())
			.filter((entry) -> entry.url().startsWith(prefix))
			.toList();
	}

	/** The URLs of entries still waiting in Redis. */
	private List<String> pendingUrls(String prefix) {
		RedisKeys keys = TestRedis.keys(this.nodeId.value());
		return TestRedis.commands()
			.zrange(keys.trafficPending(), 0, -1)
			.stream()
			.map((logId) -> TestRedis.commands().hget(keys.trafficFlow(logId), "url"))
			.filter((url) -> url != null && url.startsWith(prefix))
			.toList();
	}

	private void append(String... lines) throws IOException {
		Path log = this.properties.accessLog();
		Files.createDirectories(log.getParent());
		Files.writeString(log, String.join("", lines), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private static String line(String url, int status, long size) {
		return "127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET " + url + " HTTP/1.1\" " + status + " " + size + "\n";
	}

}
