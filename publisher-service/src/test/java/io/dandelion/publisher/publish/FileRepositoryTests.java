package io.dandelion.publisher.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.publisher.publish.FileRepository.Location;
import io.dandelion.publisher.publish.FileRepository.Published;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A viewer's redirect reads where a file is from the publisher's memory, without a Redis
 * call: what it knows must be what Redis holds after every change the publisher makes (a
 * box's acknowledgement, a repair, a replica forgotten, a new version, a failure), and a
 * file it does not know is read from Redis.
 */
@Tag(TestRedis.TAG)
@ExtendWith(SeededCases.class)
class FileRepositoryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final List<String> BOXES = List.of("box-1", "box-2", "box-3", "box-4");

	private final RedisKeys keys = TestRedis.keys("pub-" + UUID.randomUUID());

	/** The publisher under test: it remembers what it wrote. */
	private final FileRepository publisher = repository();

	@AfterEach
	void deleteKeys() {
		TestRedis.deleteKeysWithPrefix(this.keys.prefix());
	}

	@ParameterizedTest
	@MethodSource("histories")
	void shouldKnowInMemoryWhatRedisHoldsAfterEveryChange(List<Change> history) {
		Map<String, String> content = new HashMap<>();
		for (Change change : history) {
			apply(change, content);
			// A second publisher on the same keys knows nothing yet: it reads Redis
			FileRepository fromRedis = repository();
			assertThat(view(this.publisher, change.name())).as("after %s", change)
				.isEqualTo(view(fromRedis, change.name()));
		}
	}

	@Test
	void shouldAnswerForAKnownFileWithoutRedis() {
		PublishTask task = PublishTask.named("/kept.mp4", "/srv/kept.mp4", 0);
		this.publisher.clearReplicas("/kept.mp4").block(WAIT);
		this.publisher.recordReplica(task, "box-1", 1_000, 10, "a".repeat(64)).block(WAIT);
		// Gone from Redis behind the publisher's back: only memory can answer
		TestRedis.deleteKeysWithPrefix(this.keys.prefix());

		assertThat(this.publisher.located("/kept.mp4").block(WAIT).replicas()).containsOnlyKeys("box-1");
		assertThat(repository().located("/kept.mp4").block(WAIT).replicas()).isEmpty();
	}

	@Test
	void shouldReadAFailedFileFromRedis() {
		PublishTask task = PublishTask.named("/a.ts", "/srv/a.ts", 60);
		this.publisher.clearReplicas("/a.ts").block(WAIT);
		this.publisher.recordReplica(task, "box-1", 1_000, 10, "a".repeat(64)).block(WAIT);
		this.publisher.fail("/a.ts", "no box took it", 2_000, Duration.ofMinutes(1)).block(WAIT);

		assertThat(this.publisher.published("/a.ts").block(WAIT)).isEmpty();
		assertThat(this.publisher.located("/a.ts").block(WAIT).state()).containsEntry(FileRepository.STATE, "FAILED");
	}

	private void apply(Change change, Map<String, String> content) {
		String name = change.name();
		PublishTask task = new PublishTask(name, name, "/srv" + name, change.ttlSeconds(), Map.of(),
				change.kind() == Kind.REPAIR);
		long now = Clock.systemUTC().millis();
		switch (change.kind()) {
			case NEW_VERSION -> {
				assertThat(this.publisher.claim(task, "SENDING", now).block(WAIT)).isTrue();
				this.publisher.clearReplicas(name).block(WAIT);
				content.put(name, change.sha256());
			}
			case STORED ->
				this.publisher
					.recordReplica(task, change.box(), now, 10,
							content.computeIfAbsent(name, (unclaimed) -> change.sha256()))
					.block(WAIT);
			// Read from the local file again: the content it has now
			case REPAIR -> {
				content.put(name, change.sha256());
				this.publisher.recordReplica(task, change.box(), now, 12, change.sha256()).block(WAIT);
			}
			case FORGOTTEN -> this.publisher.forgetReplica(name, name, change.box()).block(WAIT);
			case FAILED -> this.publisher.fail(name, "no box took it", now, Duration.ofMinutes(5)).block(WAIT);
		}
	}

	/** What a redirect and a copy's check read of a file. */
	private static Map<String, Object> view(FileRepository repository, String name) {
		Location location = repository.located(name).block(WAIT);
		Optional<Published> published = repository.published(name).block(WAIT);
		// The expiry counts for a stored file: a new version's is not known before a box
		// stores it
		String expiresAt = published.isPresent() ? location.state().get(FileRepository.EXPIRES_AT) : null;
		return Map.of("replicas", location.replicas(), "published", published, "expiresAt",
				(expiresAt != null) ? (long) Double.parseDouble(expiresAt) : 0L);
	}

	private FileRepository repository() {
		return new FileRepository(TestRedis.template(), this.keys, new ObjectMapper(), Clock.systemUTC());
	}

	static Stream<Arguments> histories() {
		return SeededCases.of(0x5EED_F11E, 30, (gen) -> Arguments.of(gen.listOf(1, 25, FileRepositoryTests::change)));
	}

	private static Change change(Gen gen) {
		// Few names and contents, so that changes meet on one file
		return new Change(gen.oneOf(Kind.values()), gen.oneOf("/live/a.ts", "/live/b.ts", "/vod/c.mp4"),
				gen.oneOf(BOXES), gen.oneOf("a", "b", "c").repeat(64), gen.oneOf(0L, 60L, 3600L));
	}

	enum Kind {

		NEW_VERSION, STORED, REPAIR, FORGOTTEN, FAILED

	}

	record Change(Kind kind, String name, String box, String sha256, long ttlSeconds) {

	}

}
