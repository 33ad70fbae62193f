package io.dandelion.publisher.pool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.protocol.testing.MutableClock;
import io.dandelion.publisher.config.PublisherProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entrances the publisher searches and reports to: one URL per entrance, however the
 * configuration and the replies wrote it; a learnt one only while a configured entrance
 * leads to it and it answers.
 */
class KnownEntrancesTests {

	private static final int FORGET_AFTER = 3;

	private static final URI A = URI.create("ws://198.51.100.1:7070/dandelion/ws/");

	private static final URI B = URI.create("ws://198.51.100.2:7070/dandelion/ws/");

	private static final URI C = URI.create("ws://198.51.100.3:7070/dandelion/ws/");

	private static final URI D = URI.create("ws://198.51.100.4:7070/dandelion/ws/");

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T02:00:00Z"));

	@Test
	void shouldKeepOneWebSocketUrlPerEntrance() {
		KnownEntrances entrances = new KnownEntrances(properties(URI.create("https://198.51.100.1:7070/dandelion/ws/"),
				URI.create("wss://198.51.100.1:7070/dandelion/ws/"),
				URI.create("ws://198.51.100.2:7070/dandelion/ws/")), Clock.systemUTC());
		assertThat(entrances.all()).containsExactly(URI.create("wss://198.51.100.1:7070/dandelion/ws/"),
				URI.create("ws://198.51.100.2:7070/dandelion/ws/"));

		URI from = URI.create("wss://198.51.100.1:7070/dandelion/ws/");
		entrances.learn(from,
				List.of("https://198.51.100.1:7070/dandelion/ws/", "http://198.51.100.2:7070/dandelion/ws/",
						"https://198.51.100.3:7070/dandelion/ws/", "http://198.51.100.3:7070/dandelion/ws/",
						"ftp://198.51.100.4/", "not a url", "/dandelion/ws/"));
		assertThat(entrances.all()).containsExactly(URI.create("wss://198.51.100.1:7070/dandelion/ws/"),
				URI.create("ws://198.51.100.2:7070/dandelion/ws/"), URI.create("wss://198.51.100.3:7070/dandelion/ws/"),
				URI.create("ws://198.51.100.3:7070/dandelion/ws/"));
	}

	@Test
	void shouldForgetALearntEntranceOnceNoEntranceNamesIt() {
		KnownEntrances entrances = entrances(A, B);
		entrances.learn(A, List.of(A.toString(), C.toString()));
		entrances.learn(B, List.of(C.toString()));
		// C names itself: that does not keep it
		entrances.learn(C, List.of(C.toString(), A.toString()));
		assertThat(entrances.all()).containsExactly(A, B, C);

		entrances.learn(A, List.of(A.toString()));
		assertThat(entrances.all()).as("B still names C").containsExactly(A, B, C);
		entrances.learn(B, List.of());
		assertThat(entrances.all()).containsExactly(A, B);
	}

	@Test
	void shouldNotLetLearntEntrancesKeepEachOther() {
		KnownEntrances entrances = entrances(A);
		entrances.learn(A, List.of(C.toString()));
		entrances.learn(C, List.of(D.toString()));
		entrances.learn(D, List.of(C.toString()));
		assertThat(entrances.all()).containsExactly(A, C, D);

		entrances.learn(A, List.of());
		assertThat(entrances.all()).containsExactly(A);
	}

	@Test
	void shouldForgetALearntEntranceThatStopsAnsweringAndNotLearnItAgainForAWhile() {
		KnownEntrances entrances = entrances(A);
		entrances.learn(A, List.of(C.toString()));
		entrances.learn(C, List.of(D.toString()));
		// Failures in a row count; an answer starts again
		for (int i = 1; i < FORGET_AFTER; i++) {
			entrances.failed(C);
		}
		entrances.learn(C, List.of(D.toString()));
		for (int i = 1; i < FORGET_AFTER; i++) {
			entrances.failed(C);
		}
		assertThat(entrances.all()).containsExactly(A, C, D);
		entrances.failed(C);
		// What only C named goes with it
		assertThat(entrances.all()).containsExactly(A);

		entrances.learn(A, List.of(C.toString()));
		assertThat(entrances.all()).containsExactly(A);
		this.clock.advance(KnownEntrances.QUARANTINE.plusSeconds(1));
		entrances.learn(A, List.of(C.toString()));
		assertThat(entrances.all()).containsExactly(A, C);
	}

	@Test
	void shouldNeverForgetAConfiguredEntrance() {
		KnownEntrances entrances = entrances(A, B);
		for (int i = 0; i < 10 * FORGET_AFTER; i++) {
			entrances.failed(A);
			entrances.learn(B, List.of());
		}
		assertThat(entrances.all()).containsExactly(A, B);
	}

	private KnownEntrances entrances(URI... configured) {
		return new KnownEntrances(properties(configured), this.clock);
	}

	private static PublisherProperties properties(URI... entranceUrls) {
		PublisherProperties.Pool pool = new PublisherProperties.Pool(Duration.ofSeconds(2), 4, Duration.ofMillis(500),
				Duration.ofSeconds(30), Duration.ofMillis(500), FORGET_AFTER, Duration.ofHours(1), 0.05);
		return new PublisherProperties(null, 20, Duration.ofSeconds(10), List.of(entranceUrls), Path.of("/tmp"), null,
				List.of(), null, List.of(), pool, null, null, RedisKeyLayout.ORIGINAL, null, null);
	}

}
