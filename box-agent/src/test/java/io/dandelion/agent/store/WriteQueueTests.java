package io.dandelion.agent.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store's write queue on real files and a real Redis: the expiry is recorded before
 * the file appears, a caller that goes away does not stop a write, and a write that
 * cannot run releases its content.
 */
@Tag(TestRedis.TAG)
class WriteQueueTests {

	@RegisterExtension
	final TestStore fixture = new TestStore();

	@Test
	void shouldRecordTheExpiryBeforeTheFileAppears() throws Exception {
		CompletableFuture<Double> scoreWhenMoved = new CompletableFuture<>();
		this.fixture.files()
			.afterMove((file) -> scoreWhenMoved
				.complete(TestRedis.commands().zscore(this.fixture.expireFiles(), file.toString())));
		long before = System.currentTimeMillis();
		StoredFile stored = this.fixture.queue().store(() -> write("/a.ts", 60, new byte[100]), () -> {
		}).block(Duration.ofSeconds(10));
		assertThat(stored.size()).isEqualTo(100);
		Double score = scoreWhenMoved.get(5, TimeUnit.SECONDS);
		assertThat(score).as("expiry recorded when the file appeared").isNotNull();
		assertThat((long) (score * 1000)).isBetween(before + 60_000, System.currentTimeMillis() + 60_000);
	}

	@Test
	void shouldStoreAndRecordTheExpiryWhenTheCallerStopsWaiting() {
		AtomicInteger released = new AtomicInteger();
		Path target = this.fixture.files().resolve(this.fixture.publisher(), "/gone.ts");
		this.fixture.queue().store(() -> write("/gone.ts", 60, new byte[50_000], released::incrementAndGet), () -> {
		}).subscribe().dispose();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(target).exists();
			assertThat(TestRedis.commands().zscore(this.fixture.expireFiles(), target.toString())).isNotNull();
		});
		assertThat(released).hasValue(1);
	}

	@Test
	void shouldForgetTheExpiryOfAFileKeptForever() {
		Path target = this.fixture.files().resolve(this.fixture.publisher(), "/kept.ts");
		this.fixture.queue().store(() -> write("/kept.ts", 60, new byte[10]), () -> {
		}).block(Duration.ofSeconds(10));
		assertThat(TestRedis.commands().zscore(this.fixture.expireFiles(), target.toString())).isNotNull();
		this.fixture.queue().store(() -> write("/kept.ts", 0, new byte[20]), () -> {
		}).block(Duration.ofSeconds(10));
		assertThat(TestRedis.commands().zscore(this.fixture.expireFiles(), target.toString())).isNull();
		assertThat(target).hasSize(20);
	}

	@Test
	void shouldFailWithTheExceptionOfOpenAndWriteNothing() throws IOException {
		this.fixture.queue().store(() -> {
			throw new IllegalArgumentException("bad header");
		}, () -> {
		})
			.as(StepVerifier::create)
			.expectErrorMatches((ex) -> ex instanceof IllegalArgumentException && ex.getMessage().equals("bad header"))
			.verify(Duration.ofSeconds(5));
		assertNoFiles();
	}

	@Test
	void shouldRefuseAndReleaseTheContentWhenTheBoxIsStopping() throws IOException {
		this.fixture.stopQueue();
		AtomicInteger dropped = new AtomicInteger();
		AtomicInteger opened = new AtomicInteger();
		this.fixture.queue().store(() -> {
			opened.incrementAndGet();
			return write("/late.ts", 60, new byte[10]);
		}, dropped::incrementAndGet)
			.as(StepVerifier::create)
			.expectErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOf(StoreRefusedException.class).hasMessageContaining("stopping"))
			.verify(Duration.ofSeconds(5));
		assertThat(opened).hasValue(0);
		assertThat(dropped).hasValue(1);
		assertNoFiles();
	}

	private FileWrite write(String filePath, int ttl, byte[] content) {
		return write(filePath, ttl, content, () -> {
		});
	}

	private FileWrite write(String filePath, int ttl, byte[] content, Runnable release) {
		return new FileWrite(this.fixture.files().resolve(this.fixture.publisher(), filePath), content.length,
				new ByteArrayInputStream(content), null, Duration.ofSeconds(ttl), release);
	}

	private void assertNoFiles() throws IOException {
		try (Stream<Path> files = Files.walk(this.fixture.root())) {
			assertThat(files.filter(Files::isRegularFile)).isEmpty();
		}
	}

}
