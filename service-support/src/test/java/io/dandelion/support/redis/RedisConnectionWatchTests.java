package io.dandelion.support.redis;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import io.dandelion.protocol.testing.MutableClock;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class RedisConnectionWatchTests {

	private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);

	private static final InetSocketAddress OTHER_CLIENT = new InetSocketAddress("127.0.0.1", 50001);

	private static final InetSocketAddress REDIS = new InetSocketAddress("127.0.0.1", 6379);

	private static final InetSocketAddress REDIS_UNRESOLVED = InetSocketAddress.createUnresolved("127.0.0.1", 6379);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final RedisConnectionWatch watch = new RedisConnectionWatch(mock(ClientResources.class), this.clock);

	@Test
	void shouldSayOnceWhenRedisIsLostAndOnceWhenItIsBack(CapturedOutput output) {
		// Two connections to the same Redis (the shared one and one for a blocking
		// command) lose it together and try again and again
		for (int attempt = 1; attempt <= 3; attempt++) {
			this.watch.onEvent(new ReconnectAttemptEvent(CLIENT, REDIS, attempt));
			this.watch.onEvent(new ReconnectAttemptEvent(OTHER_CLIENT, REDIS_UNRESOLVED, attempt));
		}
		this.clock.advance(Duration.ofMillis(12_300));
		this.watch.onEvent(new ConnectionActivatedEvent(CLIENT, REDIS));
		this.watch.onEvent(new ConnectionActivatedEvent(OTHER_CLIENT, REDIS_UNRESOLVED));

		assertThat(output.getOut().lines().filter((line) -> line.contains("Lost the connection to Redis")))
			.singleElement()
			.asString()
			.contains("WARN", "Redis at 127.0.0.1:6379", "refused at once");
		assertThat(output.getOut().lines().filter((line) -> line.contains("is back after 12.3 s"))).singleElement()
			.asString()
			.contains("INFO");
	}

	@Test
	void shouldSayNothingOfConnectionsOpenedAndClosedOnPurpose(CapturedOutput output) {
		this.watch.onEvent(new ConnectionActivatedEvent(CLIENT, REDIS));
		this.watch.onEvent(new ConnectionDeactivatedEvent(CLIENT, REDIS));
		assertThat(output.getOut()).doesNotContain("Redis at");
	}

}
