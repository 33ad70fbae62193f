package io.dandelion.entrance.federation;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ENTRANCE_OTHER_URLS} seeds the set of other entrances. The own URL is fixed by a
 * proxy port so that the configuration can name it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "entrance.ip=127.0.0.1", "entrance.server-proxy-port=7443",
				"entrance.federation.check-period=100ms", "entrance.federation.unreachable-after=500ms",
				"entrance.other-urls[0]=" + EntranceDirectorySeedTests.FIRST,
				"entrance.other-urls[1]=ftp://127.0.0.1:21/dandelion/ws/",
				"entrance.other-urls[2]=" + EntranceDirectorySeedTests.OWN,
				"entrance.other-urls[3]=" + EntranceDirectorySeedTests.SECOND,
				"entrance.other-urls[4]=wss://127.0.0.1:7443/dandelion/ws/" })
@WithTestRedis
class EntranceDirectorySeedTests {

	static final String OWN = "https://127.0.0.1:7443/dandelion/ws/";

	// Closed loopback ports: the checks fail at once and never leave the machine.
	static final String FIRST = "http://127.0.0.1:9/dandelion/ws/";

	static final String SECOND = "ws://127.0.0.1:10/dandelion/ws/";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@Autowired
	private EntranceDirectory directory;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Autowired
	private RedisKeys keys;

	@Test
	void shouldSeedExactlyTheConfiguredOtherUrlsWithoutItsOwn() {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(storedUrls()).isEqualTo(Set.of(FIRST, SECOND)));
		assertThat(this.directory.ownInfo().url()).isEqualTo(OWN);
		assertThat(this.directory.list().map(EntranceStatus::url).collectList().block(TIMEOUT)).containsExactly(FIRST,
				SECOND);
	}

	@Test
	void shouldHandOutItsOwnUrlFirst() {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(storedUrls()).contains(FIRST, SECOND));
		List<String> urls = this.directory.entranceUrls().block(TIMEOUT);
		assertThat(urls).first().isEqualTo(OWN);
		assertThat(urls).containsOnlyOnce(OWN);
	}

	@Test
	void shouldNotSeedAgainAConfiguredUrlRemovedAtRunTime() {
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(storedUrls()).contains(SECOND));
		try {
			assertThat(this.directory.remove(SECOND).block(TIMEOUT)).isTrue();
			// Seeding runs periodically: it must not bring the URL back.
			this.directory.seed().block(TIMEOUT);
			assertThat(storedUrls()).doesNotContain(SECOND);
		}
		finally {
			this.directory.add(SECOND).block(TIMEOUT);
		}
	}

	@Test
	void shouldRefuseItsOwnUrlWhateverTheScheme() {
		for (String own : List.of(OWN, "wss://127.0.0.1:7443/dandelion/ws/", "http://127.0.0.1:7443/dandelion/ws/")) {
			this.directory.add(own)
				.as(StepVerifier::create)
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("own URL"))
				.verify(TIMEOUT);
		}
		assertThat(storedUrls()).doesNotContain(OWN);
	}

	private Set<String> storedUrls() {
		return Set.copyOf(this.redis.opsForSet().members(this.keys.entranceUrls()).collectList().block(TIMEOUT));
	}

}
