package io.dandelion.publisher.pool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.publisher.system.PublisherProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entrances the publisher searches and reports to: one URL per entrance, however the
 * configuration and the replies wrote it.
 */
class KnownEntrancesTests {

	@Test
	void shouldKeepOneWebSocketUrlPerEntrance() {
		KnownEntrances entrances = new KnownEntrances(properties(URI.create("https://198.51.100.1:7070/dandelion/ws/"),
				URI.create("wss://198.51.100.1:7070/dandelion/ws/"),
				URI.create("ws://198.51.100.2:7070/dandelion/ws/")));
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

	private static PublisherProperties properties(URI... entranceUrls) {
		return new PublisherProperties(null, 20, Duration.ofSeconds(10), List.of(entranceUrls), Path.of("/tmp"), null,
				List.of(), null, List.of(), null, null, null, RedisKeyLayout.ORIGINAL, null);
	}

}
