package io.dandelion.publisher.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.lettuce.core.RedisURI;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publish queue against the test Redis: tasks are taken in order into the processing
 * list, without a Redis connection per task.
 */
class FileQueueTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final RedisKeys keys = TestRedis.keys("publisher-" + UUID.randomUUID().toString().replace("-", ""));

	private ClientResources resources;

	private LettuceConnectionFactory factory;

	private FileQueue queue;

	private final AtomicInteger connectionsOpened = new AtomicInteger();

	private Disposable counting;

	@BeforeEach
	void connect() {
		this.resources = DefaultClientResources.create();
		this.counting = this.resources.eventBus()
			.get()
			.filter(ConnectionActivatedEvent.class::isInstance)
			.subscribe((event) -> this.connectionsOpened.incrementAndGet());
		RedisURI uri = RedisURI.create(TestRedis.url());
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		server.setDatabase(uri.getDatabase());
		this.factory = new LettuceConnectionFactory(server,
				LettuceClientConfiguration.builder().clientResources(this.resources).build());
		this.factory.afterPropertiesSet();
		this.queue = new FileQueue(new ReactiveStringRedisTemplate(this.factory), this.keys);
	}

	@AfterEach
	void disconnect() {
		TestRedis.deleteKeysWithPrefix(this.keys.prefix());
		this.counting.dispose();
		this.factory.destroy();
		this.resources.shutdown();
	}

	@Test
	void shouldTakeWaitingTasksInOrderWithoutAConnectionEach() {
		List<String> tasks = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			tasks.add("{\"FILE_PATH\":\"/tmp/hls/" + i + ".ts\"}");
			this.queue.push(tasks.get(i)).block(WAIT);
		}
		// The event bus tells of the pushes' connection asynchronously: count from once
		// it
		// has, or a late event would count as a connection of the takes
		await().atMost(WAIT).until(() -> this.connectionsOpened.get() >= 1);
		int openedBefore = this.connectionsOpened.get();
		List<String> taken = new ArrayList<>();
		for (int i = 0; i < tasks.size(); i++) {
			taken.add(this.queue.take(Duration.ofSeconds(1)).block(WAIT));
		}
		assertThat(taken).isEqualTo(tasks);
		assertThat(TestRedis.commands().lrange(this.keys.filesProcessing(), 0, -1)).isEqualTo(tasks);
		assertThat(this.connectionsOpened.get() - openedBefore).isZero();
	}

	@Test
	void shouldWaitForATaskWhenTheQueueIsEmpty() {
		assertThat(this.queue.take(Duration.ofMillis(200)).block(WAIT)).isNull();
		String task = "{\"FILE_PATH\":\"/tmp/hls/late.ts\"}";
		// Pushed while the take blocks in BLMOVE
		Disposable late = Mono.delay(Duration.ofMillis(300))
			.subscribe((tick) -> TestRedis.commands().rpush(this.keys.filesSendingQueue(), task));
		String taken = this.queue.take(Duration.ofSeconds(3)).block(WAIT);
		late.dispose();
		assertThat(taken).isEqualTo(task);
	}

}
