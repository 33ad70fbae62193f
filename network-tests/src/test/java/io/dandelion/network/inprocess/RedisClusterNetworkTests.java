package io.dandelion.network.inprocess;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.dandelion.network.inprocess.TestNetwork.Box;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedisCluster;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole network on a real Redis Cluster: an entrance, two boxes and a publisher, each
 * given the cluster's nodes alone. Files are uploaded one after the other while the
 * masters holding the publisher's slot and then the entrance's slot fail over: every
 * upload the publisher accepted is stored on both boxes and redirected to, and every box
 * stays registered at the entrance, never dropped and registered again.
 */
@Tag(TestRedisCluster.TAG)
@WithTestNetwork(redisCluster = true)
class RedisClusterNetworkTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int FILES = 30;

	private static final Duration UPLOAD_PERIOD = Duration.ofMillis(100);

	@TempDir
	Path home;

	private TestNetwork network;

	@Test
	void shouldPublishEveryFileAndKeepEveryBoxThroughFailoversInTheMiddleOfPublishing() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		WebTestClient client = TestNetwork.client(publisher);
		awaitReadyBoxes(client, 2);
		RedisKeys entrance = this.network.entranceKeys();
		assertThat(entrance.prefix()).startsWith("{entrance-");
		RedisKeys publisherKeys = new RedisKeys(publisher.getBean(NodeId.class).value(), RedisKeyLayout.CLUSTER);
		assertThat(publisher.getBean(RedisKeys.class).prefix()).isEqualTo(publisherKeys.prefix());
		Map<String, String> firstSeen = Map.of(tokyo.id(), firstSeen(entrance, tokyo), frankfurt.id(),
				firstSeen(entrance, frankfurt));

		List<String> uploaded = new CopyOnWriteArrayList<>();
		List<String> retried = new CopyOnWriteArrayList<>();
		Thread uploads = new Thread(() -> {
			for (int i = 0; i < FILES; i++) {
				String name = "/cluster/" + i + ".bin";
				upload(client, name, retried);
				uploaded.add(name);
				sleep(UPLOAD_PERIOD);
			}
		}, "cluster-test-uploads");
		uploads.start();
		await().atMost(WAIT).until(() -> uploaded.size() >= FILES / 4);
		TestRedisCluster.shared().failover(publisherKeys.filesSendingQueue());
		TestRedisCluster.shared().failover(entrance.boxSet());
		uploads.join(WAIT.toMillis());
		assertThat(uploads.isAlive()).as("uploads finished").isFalse();

		assertThat(uploaded).as("uploads accepted (answered 503 first: %s)", retried).hasSize(FILES);
		for (String name : uploaded) {
			awaitStored(client, name, Set.of(tokyo.id(), frankfurt.id()));
			URI box = URI.create(TestNetwork.redirect(client, name, null));
			assertThat(Set.of(tokyo.dataPort(), frankfurt.dataPort())).as("%s redirected to %s", name, box)
				.contains(box.getPort());
		}
		for (Box box : List.of(tokyo, frankfurt)) {
			this.network.awaitRegistered(box);
			assertThat(firstSeen(entrance, box)).as("%s registered once", box.id()).isEqualTo(firstSeen.get(box.id()));
		}
		assertThat(redis().llen(publisherKeys.filesProcessing())).isZero();
		assertThat(redis().llen(publisherKeys.filesSendingQueue())).isZero();
	}

	/** Uploads a file, again after a 503 as its Retry-After asks (less long here). */
	private static void upload(WebTestClient client, String name, List<String> retried) {
		Instant giveUp = Instant.now().plus(WAIT);
		while (true) {
			HttpStatus status = HttpStatus.valueOf(client.put()
				.uri("/api/v1/files" + name + "?ttl=600")
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.bodyValue(name.getBytes())
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value());
			if (status == HttpStatus.ACCEPTED) {
				return;
			}
			assertThat(status).as("upload of %s", name).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(Instant.now()).as("upload of %s accepted in time", name).isBefore(giveUp);
			retried.add(name);
			sleep(Duration.ofMillis(200));
		}
	}

	private static String firstSeen(RedisKeys entrance, Box box) {
		String firstSeen = redis().hget(entrance.exchange(box.id()), "FIRST_SEEN");
		assertThat(firstSeen).as("FIRST_SEEN of %s", box.id()).isNotNull();
		return firstSeen;
	}

	private static void awaitReadyBoxes(WebTestClient client, int count) {
		await().atMost(WAIT)
			.untilAsserted(() -> client.get()
				.uri("/api/v1/boxes")
				.exchange()
				.expectBody()
				.jsonPath("$[?(@.connection == 'READY')].length()")
				.value((ready) -> assertThat(((List<?>) ready)).hasSize(count)));
	}

	@SuppressWarnings("unchecked")
	private static void awaitStored(WebTestClient client, String name, Set<String> boxes) {
		await().atMost(WAIT).untilAsserted(() -> {
			Map<String, Object> state = TestNetwork.describe(client, name);
			assertThat(state.get("state")).as("state of %s: %s", name, state).isEqualTo("stored");
			Set<String> replicas = ((List<Map<String, Object>>) state.getOrDefault("replicas", List.of())).stream()
				.map((replica) -> (String) replica.get("boxId"))
				.collect(Collectors.toSet());
			assertThat(replicas).as("replicas of %s", name).isEqualTo(boxes);
		});
	}

	private static RedisAdvancedClusterCommands<String, String> redis() {
		return TestRedisCluster.shared().commands();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
