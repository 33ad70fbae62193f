package io.dandelion.entrance.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.dandelion.entrance.TestCredentials;
import io.dandelion.entrance.TestEntrance;
import io.dandelion.entrance.EntranceTestClient;
import io.dandelion.entrance.EntranceTestClient.Conversation;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 boxes heartbeating at once on persistent connections: every heartbeat is answered
 * and the last one of each box is what the entrance holds. Here all 200 connect from
 * 127.0.0.1, so the per-address connection limit is raised above them (elsewhere boxes
 * connect from addresses of their own).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dandelion.limits.max-connections-per-ip=" + (ConcurrentHeartbeatTests.BOXES + 16),
				"entrance.registration.max-live-boxes-per-network=" + ConcurrentHeartbeatTests.BOXES })
@WithTestRedis
class ConcurrentHeartbeatTests {

	static final int BOXES = 200;

	private static final int HEARTBEATS = 5;

	private final MessageCodec codec = new MessageCodec();

	@LocalServerPort
	private int port;

	@Autowired
	private RedisKeys keys;

	@RegisterExtension
	static final TestEntrance entrance = new TestEntrance();

	@Test
	void shouldLoseNoUpdateWhen200BoxesHeartbeatConcurrently() {
		TestCredentials credentials = new TestCredentials(this.keys);
		List<String> boxIds = new ArrayList<>();
		List<String[]> heartbeats = new ArrayList<>();
		for (int box = 0; box < BOXES; box++) {
			String boxId = NodeId.random(Role.BOX).value();
			String ip = "127.0." + (box % 6) + "." + (10 + box / 6);
			String[] messages = new String[HEARTBEATS];
			for (int beat = 0; beat < HEARTBEATS; beat++) {
				messages[beat] = this.codec.encode(credentials.sign(ExchangeRequest
					.of(boxId, ip, 7072, "ws://" + ip + ":7071/dandelion/" + boxId + "/ws/", BoxMetrics.NONE)
					.withExtra(Map.of("SEQ", Integer.toString(beat + 1)))));
			}
			boxIds.add(boxId);
			heartbeats.add(messages);
		}
		EntranceTestClient client = new EntranceTestClient(this.port, null);
		List<Conversation> conversations = Flux.fromIterable(heartbeats)
			.flatMap((messages) -> client.sendAsync(true, HEARTBEATS, messages), BOXES)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(conversations).hasSize(BOXES)
			.allSatisfy((conversation) -> assertThat(conversation.replies()).hasSize(HEARTBEATS));
		assertThat(TestRedis.commands().zcard(this.keys.boxSet())).isEqualTo(BOXES);
		for (String boxId : boxIds) {
			assertThat(TestRedis.commands().hget(this.keys.exchange(boxId), "SEQ")).as(boxId)
				.isEqualTo(Integer.toString(HEARTBEATS));
		}
	}

}
