package io.dandelion.agent.heartbeat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dandelion.protocol.testing.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EntranceDirectory} on a clock of its own.
 */
class KnownEntrancesTests {

	private static final String CONFIGURED = "http://127.0.0.1:7071/dandelion/ws/";

	private static final String LEARNT = "https://198.51.100.2:7070/dandelion/ws/";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T17:00:00Z"));

	private final EntranceDirectory directory = new EntranceDirectory(List.of(URI.create(CONFIGURED)),
			Duration.ofMinutes(10), this.clock);

	@Test
	void shouldForgetALearntEntranceOnlyAfterItStayedUnreachable() {
		this.directory.learn(List.of(CONFIGURED, LEARNT, "not a url"));
		KnownEntrance learnt = find(LEARNT);
		KnownEntrance configured = find(CONFIGURED);
		this.directory.failed(learnt, new IllegalStateException("refused"));
		this.directory.failed(configured, new IllegalStateException("refused"));
		this.clock.advance(Duration.ofMinutes(9));
		this.directory.forgetUnreachable();
		assertThat(urls()).containsExactly("ws://127.0.0.1:7071/dandelion/ws/",
				"wss://198.51.100.2:7070/dandelion/ws/");
		this.clock.advance(Duration.ofMinutes(2));
		this.directory.forgetUnreachable();
		assertThat(urls()).containsExactly(CONFIGURED.replace("http", "ws"));
		StepVerifier.create(learnt.removed()).expectComplete().verify(Duration.ofSeconds(1));
		// Listed again by an entrance: learnt again only after a while
		this.directory.learn(List.of(LEARNT));
		assertThat(urls()).hasSize(1);
		this.clock.advance(Duration.ofMinutes(11));
		this.directory.learn(List.of(LEARNT));
		assertThat(urls()).hasSize(2);
	}

	@Test
	void shouldKeepALearntEntranceThatAnswers() {
		this.directory.learn(List.of(LEARNT));
		this.directory.answered(find(LEARNT), "entrance-9a8b7c6d5e4f40312a1b2c3d4e5f6a7b");
		this.clock.advance(Duration.ofHours(1));
		this.directory.forgetUnreachable();
		assertThat(urls()).hasSize(2);
	}

	@Test
	void shouldHeartbeatAnEntranceKnownUnderTwoUrlsOnce() {
		String id = "entrance-9a8b7c6d5e4f40312a1b2c3d4e5f6a7b";
		this.directory.answered(find(CONFIGURED), id);
		this.directory.learn(List.of(LEARNT));
		this.directory.answered(find(LEARNT), id);
		assertThat(urls()).containsExactly("ws://127.0.0.1:7071/dandelion/ws/");
		this.clock.advance(Duration.ofDays(1));
		this.directory.learn(List.of(LEARNT));
		assertThat(urls()).hasSize(1);
	}

	@Test
	void shouldAnnounceKnownAndLaterEntrances() {
		StepVerifier.create(this.directory.additions())
			.assertNext((entrance) -> assertThat(entrance.configured()).isTrue())
			.then(() -> this.directory.learn(List.of(LEARNT)))
			.assertNext((entrance) -> assertThat(entrance.configured()).isFalse())
			.thenCancel()
			.verify(Duration.ofSeconds(1));
	}

	private KnownEntrance find(String url) {
		return this.directory.entrances()
			.stream()
			.filter((entrance) -> entrance.url().equals(EntranceUrl.parse(url)))
			.findFirst()
			.orElseThrow();
	}

	private List<String> urls() {
		return this.directory.entrances().stream().map((entrance) -> entrance.url().toString()).toList();
	}

}
