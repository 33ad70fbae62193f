package io.dandelion.agent.heartbeat;

import java.io.IOException;
import java.util.List;

import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
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
 * Entrances learnt from replies: used, forgotten when they stay unreachable, and each
 * entrance heartbeated once; configured entrances are never forgotten.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithTestRedis
@DirtiesContext
class EntranceDirectoryTests {

	static final TestEntrance configured = TestEntrance.start(true);

	static final TestEntrance learnt = TestEntrance.start(false);

	static final TestEntrance gone = TestEntrance.start(true);

	static final TestEntrance configuredGone = TestEntrance.start(true);

	static {
		gone.stop();
		configuredGone.stop();
		// Lists itself first (also under a second URL), then the others
		configured.entranceUrls(List.of(configured.url(), configured.url() + "?alias", learnt.url(), gone.url()));
	}

	@Autowired
	EntranceDirectory directory;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		EntranceClientTests.fastHeartbeats(registry);
		registry.add("box.entrance-urls[0]", configured::url);
		registry.add("box.entrance-urls[1]", configuredGone::url);
		registry.add("box.heartbeat.forget-learnt-after", () -> "1s");
	}

	@AfterAll
	static void stopEntrances() {
		configured.close();
		learnt.close();
	}

	@Test
	void shouldHeartbeatToLearntEntrances() {
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(learnt.received()).hasSizeGreaterThanOrEqualTo(2));
		assertThat(urls()).contains(EntranceUrl.parse(learnt.url()));
	}

	@Test
	void shouldForgetLearntEntrancesThatStayUnreachableButNotConfiguredOnes() {
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(urls()).contains(EntranceUrl.parse(gone.url())));
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(urls()).doesNotContain(EntranceUrl.parse(gone.url()))
				.contains(EntranceUrl.parse(configuredGone.url()), EntranceUrl.parse(configured.url())));
	}

	@Test
	void shouldHeartbeatEachEntranceOnce() {
		await().atMost(EntranceClientTests.WAIT)
			.untilAsserted(() -> assertThat(urls()).doesNotContain(EntranceUrl.parse(configured.url() + "?alias")));
		await().atMost(EntranceClientTests.WAIT).until(() -> configured.received().size() >= 2);
		int before = configured.received().size();
		await().atMost(EntranceClientTests.WAIT).until(() -> configured.received().size() >= before + 5);
		// Heartbeats come from one connection only, the configured URL's
		assertThat(configured.received().subList(before, before + 5)).extracting(TestEntrance.Received::connection)
			.containsOnly(configured.received().get(before).connection());
	}

	private List<EntranceUrl> urls() {
		return this.directory.entrances().stream().map(KnownEntrance::url).toList();
	}

}
