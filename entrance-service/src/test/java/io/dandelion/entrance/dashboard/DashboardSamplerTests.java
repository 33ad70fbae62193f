package io.dandelion.entrance.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.traffic.TrafficRepository;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's samples in Redis, taken by two samplers as two replicas of one entrance
 * would (sharing its ID and Redis): one sample per period, whichever replica comes first,
 * with every replica's heartbeats counted; the busiest boxes kept; the stream capped. The
 * periods here are an hour long and lie in the future, after the sample the application's
 * own job takes at start-up.
 */
@SpringBootTest(properties = { "entrance.dashboard.sample-period=1h", "entrance.dashboard.history=3",
		"entrance.dashboard.plotted-boxes=2" })
@WithTestRedis
class DashboardSamplerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@Autowired
	private DashboardRepository samples;

	@Autowired
	private BoxRepository boxes;

	@Autowired
	private TrafficRepository traffic;

	@Autowired
	private DashboardProperties properties;

	@Autowired
	private RedisKeys keys;

	private final AtomicLong acceptedByFirst = new AtomicLong();

	private final AtomicLong acceptedBySecond = new AtomicLong();

	@BeforeEach
	void forgetEarlierSamples() {
		TestRedis.commands().del(this.keys.dashboardSamples(), this.keys.exchangesAccepted());
	}

	@Test
	void shouldAddOneSamplePerPeriodWithTheHeartbeatsOfEveryReplicaAndTheBusiestBoxes() {
		DashboardSampler first = sampler(this.acceptedByFirst);
		DashboardSampler second = sampler(this.acceptedBySecond);
		Instant period = first.periodStart(Instant.now()).plus(Duration.ofDays(1));
		String busiest = liveBox(period, 3000);
		String busy = liveBox(period, 1500);
		liveBox(period, 0);

		this.acceptedByFirst.set(5);
		this.acceptedBySecond.set(3);
		assertThat(first.sample(period.plusSeconds(10)).block(TIMEOUT)).isTrue();
		// The second replica comes later in the same period: its heartbeats count, in the
		// next sample
		assertThat(second.sample(period.plusSeconds(20)).block(TIMEOUT)).isFalse();
		assertThat(TestRedis.commands().get(this.keys.exchangesAccepted())).isEqualTo("8");

		this.acceptedByFirst.set(9);
		Instant next = period.plus(Duration.ofHours(1));
		assertThat(second.sample(next.plusSeconds(1)).block(TIMEOUT)).isTrue();
		assertThat(first.sample(next.plusSeconds(2)).block(TIMEOUT)).isFalse();

		List<DashboardSample> taken = this.samples.since(period, 10).collectList().block(TIMEOUT);
		assertThat(taken).extracting(DashboardSample::at).containsExactly(period, next);
		assertThat(taken).extracting(DashboardSample::exchanges).containsExactly(5L, 8L);
		assertThat(taken).extracting(DashboardSample::liveBoxes).containsExactly(3L, 3L);
		assertThat(taken.get(0).boxBytes()).isEqualTo(Map.of(busiest, 3000L, busy, 1500L));

		DashboardSeries series = DashboardSeries.of(taken, false);
		assertThat(series.times()).containsExactly(period.toEpochMilli() / 1000.0, next.toEpochMilli() / 1000.0);
		assertThat(series.exchangesPerSecond()).containsExactly(null, 3.0 / 3600);
		assertThat(series.boxBytesPerSecond()).containsOnlyKeys(busiest, busy);
		assertThat(series.boxBytesPerSecond().get(busiest)).containsExactly(null, 0.0);
	}

	@Test
	void shouldKeepTheLatestSamplesOnly() {
		DashboardSampler sampler = sampler(this.acceptedByFirst);
		Instant start = sampler.periodStart(Instant.now()).plus(Duration.ofDays(1));
		for (int hour = 0; hour < 5; hour++) {
			assertThat(sampler.sample(start.plus(Duration.ofHours(hour))).block(TIMEOUT)).isTrue();
		}
		assertThat(TestRedis.commands().xlen(this.keys.dashboardSamples())).isEqualTo(this.properties.history());
		assertThat(this.samples.latest(10).collectList().block(TIMEOUT)).extracting(DashboardSample::at)
			.containsExactly(start.plus(Duration.ofHours(2)), start.plus(Duration.ofHours(3)),
					start.plus(Duration.ofHours(4)));
		// A replica whose clock is behind adds nothing before the latest sample
		assertThat(sampler.sample(start.plus(Duration.ofHours(1))).block(TIMEOUT)).isFalse();
	}

	private DashboardSampler sampler(AtomicLong accepted) {
		return new DashboardSampler(this.samples, this.boxes, this.traffic, this.properties, 1000, accepted::get);
	}

	private String liveBox(Instant now, long servedBytes) {
		String id = NodeId.random(Role.BOX).value();
		// Live well past the test's periods
		this.boxes.save(DashboardBoxes.exchange(id, "127.0.3.9"), now, Duration.ofDays(400), "127.0.3.9")
			.block(TIMEOUT);
		if (servedBytes > 0) {
			this.traffic
				.record(id, List.of(new TrafficEntry("log-" + UUID.randomUUID(), "/a.ts", 200, servedBytes, null)), now,
						Duration.ofMinutes(1), 100)
				.block(TIMEOUT);
		}
		return id;
	}

}
