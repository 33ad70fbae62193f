package io.dandelion.network.inprocess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.dandelion.network.inprocess.TestNetwork.Box;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The entrance probes a real box's data port (its builtin file server, over HTTPS with
 * the box's own certificate, which the entrance trusts as viewers would): the figures
 * land in the entrance's Redis, and the SEARCH replies a real publisher gets name them in
 * {@code RANK_REASONS}.
 */
@Tag(TestRedis.TAG)
@WithTestNetwork(tlsBoxes = true, entranceProperties = { "entrance.probe.period=300ms" })
class BoxProbeNetworkTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path home;

	private TestNetwork network;

	@Test
	void shouldMeasureARealBoxAndNameTheFiguresInTheSearchReplies() {
		Box box = this.network.startBox("127.0.2.10");
		RedisKeys entrance = this.network.entranceKeys();
		await("a probe of " + box.id() + " recorded").atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> TestRedis.commands().hget(entrance.probe(box.id()), "mbps") != null);
		Map<String, String> probe = TestRedis.commands().hgetall(entrance.probe(box.id()));
		assertThat(probe).containsEntry("state", "healthy").containsEntry("failures", "0").doesNotContainKey("problem");
		assertThat(Double.parseDouble(probe.get("ttfb-ms"))).isPositive().isLessThan(5000);
		assertThat(Double.parseDouble(probe.get("mbps"))).isPositive();

		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home);
		RedisKeys publisherKeys = TestRedis.keys(publisher.getBean(NodeId.class).value());
		await("a SEARCH reply naming the measured figures of " + box.id()).atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> String.valueOf(TestRedis.commands().hget(publisherKeys.search(box.id()), "RANK_REASONS"))
				.contains("measured_mbps="));
		String reasons = TestRedis.commands().hget(publisherKeys.search(box.id()), "RANK_REASONS");
		assertThat(reasons).contains("ttfb=", "throughput=", "measured_ttfb_ms=", "measured_mbps=");
	}

}
