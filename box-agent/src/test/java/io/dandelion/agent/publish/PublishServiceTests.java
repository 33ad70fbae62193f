package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.dandelion.agent.store.FileStore;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the box does with a frame when the publisher's connection goes away at the worst
 * moment: its reactive chain is cancelled, as a closing WebSocket cancels it, exactly
 * when the file has just reached its final path. Real Redis, real files.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "box.store.expire-files-freq=200ms")
@WithTestRedis
class PublishServiceTests {

	private static final Path base = createTempDirectory().resolve("store");

	@Autowired
	private PublishService service;

	@Autowired
	private FileStore store;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
	}

	@AfterEach
	void removeHook() {
		this.store.afterMove((file) -> {
		});
	}

	@AfterAll
	static void deleteKeys() throws IOException {
		String boxId = Files.readString(base.resolve("box-id.txt")).strip();
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(boxId).prefix());
	}

	@Test
	void shouldSweepFileWhenCancelledRightAfterItReachedItsFinalPath() throws Exception {
		String publisherId = NodeId.random(Role.PUBLISHER).value();
		this.store.createPublisherDirectory(publisherId);
		PublishSession session = new PublishSession("closing-session", true);
		session.accept(publisherId);
		CompletableFuture<Disposable> reply = new CompletableFuture<>();
		CompletableFuture<Path> moved = new CompletableFuture<>();
		this.store.afterMove((file) -> {
			moved.complete(file);
			// The connection goes away: its chain is cancelled here
			reply.join().dispose();
		});
		FrameContent frame = new FrameContent();
		frame
			.offer(DefaultDataBufferFactory.sharedInstance
				.wrap(PublisherTestClient.frame("/closing/seg-1.ts", 1, new byte[10_000])))
			.block(Duration.ofSeconds(5));
		frame.finish();
		reply.complete(this.service.onFrame(session, frame).subscribe());
		Path file = moved.get(10, TimeUnit.SECONDS);
		assertThat(file).isEqualTo(base.resolve(publisherId).resolve("closing/seg-1.ts"));
		// TTL 1 s, swept every 200 ms
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(file).as("file with TTL 1 s, swept").doesNotExist());
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("box-publish-service");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
