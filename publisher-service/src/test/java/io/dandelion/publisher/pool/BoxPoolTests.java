package io.dandelion.publisher.pool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.publisher.audience.ViewerAudience;
import io.dandelion.publisher.config.PublisherProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the pool forgets a box: after {@code forget-after} SEARCH rounds that an entrance
 * answered without listing it, and never for rounds in which every SEARCH failed.
 */
class BoxPoolTests {

	private static final int FORGET_AFTER = 3;

	private final BoxPool pool = new BoxPool(properties(), NodeId.random(Role.PUBLISHER),
			new PublisherAddress(properties()), null, new MessageCodec(), Clock.systemUTC(), null, new ViewerAudience(
					new PublisherProperties.Audience(true, Duration.ofMinutes(10), 1, 8, 0.05), Clock.systemUTC()));

	private final BoxCandidate tokyo = candidate("127.0.2.10");

	private final BoxCandidate frankfurt = candidate("127.0.3.10");

	@Test
	void shouldKeepEveryBoxWhileNoEntranceAnswers() {
		round(List.of(this.tokyo, this.frankfurt));
		for (int i = 0; i < 10 * FORGET_AFTER; i++) {
			// Every SEARCH of the round failed: nothing was listed
			this.pool.endSearchRound();
			assertThat(this.pool.maintain()).isEmpty();
		}
		assertThat(known()).containsExactlyInAnyOrder(this.tokyo.id(), this.frankfurt.id());
	}

	@Test
	void shouldForgetABoxTheAnsweringEntrancesStopListing() {
		round(List.of(this.tokyo, this.frankfurt));
		for (int i = 1; i < FORGET_AFTER; i++) {
			round(List.of(this.tokyo));
			assertThat(this.pool.maintain()).isEmpty();
		}
		// Failed rounds in between do not count, either way
		this.pool.endSearchRound();
		assertThat(this.pool.maintain()).isEmpty();
		round(List.of(this.tokyo));
		assertThat(this.pool.maintain()).containsExactly(this.frankfurt.id());
		assertThat(known()).containsExactly(this.tokyo.id());
	}

	@Test
	void shouldCountAnAnswerListingNoBoxAsAnAnswer() {
		round(List.of(this.tokyo));
		for (int i = 0; i < FORGET_AFTER; i++) {
			round(List.of());
		}
		assertThat(this.pool.maintain()).containsExactly(this.tokyo.id());
	}

	@Test
	void shouldKeepABoxThatOneOfTheEntrancesListsInEachRound() {
		round(List.of(this.tokyo, this.frankfurt));
		for (int i = 0; i < 2 * FORGET_AFTER; i++) {
			this.pool.onListed(List.of(this.tokyo));
			this.pool.onListed(List.of(this.frankfurt));
			this.pool.endSearchRound();
		}
		assertThat(this.pool.maintain()).isEmpty();
	}

	/** A round in which one entrance answered and listed the boxes. */
	private void round(List<BoxCandidate> listed) {
		this.pool.onListed(listed);
		this.pool.endSearchRound();
	}

	private List<String> known() {
		return this.pool.snapshot().stream().map(BoxStatus::id).toList();
	}

	private static BoxCandidate candidate(String ip) {
		String id = NodeId.random(Role.BOX).value();
		return new BoxCandidate(id, ip, URI.create("ws://" + ip + ":7070/dandelion/" + id + "/ws/"), 7072, "http", null,
				0.5, 0.5, Map.of(), null, null);
	}

	/** No box is connected to ({@code MIN_HTTP_PEERS} 0): only listing counts. */
	private static PublisherProperties properties() {
		PublisherProperties.Pool pool = new PublisherProperties.Pool(Duration.ofSeconds(2), 4, Duration.ofMillis(500),
				Duration.ofSeconds(30), Duration.ofMillis(500), FORGET_AFTER, Duration.ofHours(1), 0.05);
		return new PublisherProperties("127.0.0.1", 0, Duration.ofSeconds(10), List.of(), Path.of("/tmp"), null,
				List.of(), null, List.of(), pool, null, null, RedisKeyLayout.ORIGINAL, null, null);
	}

}
