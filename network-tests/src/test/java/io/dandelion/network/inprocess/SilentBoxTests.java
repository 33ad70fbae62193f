package io.dandelion.network.inprocess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.network.inprocess.TestNetwork.Trust;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.PublishReply;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A box that goes silent without closing its connection (power cut, NAT dropping the
 * flow) is noticed by the publisher's pings within its box timeout, and from then on
 * never chosen.
 */
@Tag(TestRedis.TAG)
// The silent box registers with the original's unsigned EXCHANGE
@WithTestNetwork(trust = Trust.COMPATIBLE)
class SilentBoxTests {

	private static final String SILENT_IP = "127.0.5.10";

	private final MessageCodec codec = new MessageCodec();

	@TempDir
	Path home;

	private TestNetwork network;

	private SilentWebSocketServer silentBox;

	@AfterEach
	void closeWhatTheTestAdded() throws IOException {
		if (this.silentBox != null) {
			this.silentBox.close();
		}
	}

	@Test
	void shouldGiveUpABoxThatStopsAnsweringPingsWithinTheBoxTimeout() throws IOException {
		this.network.startBox("127.0.2.10");
		String silentId = NodeId.random(Role.BOX).value();
		this.silentBox = new SilentWebSocketServer(SILENT_IP,
				this.codec.encode(new PublishReply(silentId, SILENT_IP, 7072, Commands.ACCEPTED)));
		register(silentId, this.silentBox.port());
		ConfigurableApplicationContext publisher = this.network.startPublisher(this.home,
				"publisher.pool.box-timeout=2s");
		WebTestClient client = TestNetwork.client(publisher);

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> "READY".equals(TestNetwork.box(client, silentId).get("connection")));
		Instant ready = Instant.now();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> Boolean.FALSE.equals(TestNetwork.box(client, silentId).get("live")));
		// Accepted, then silent: given up after the 2 s box timeout, plus one ping period
		// and polling
		assertThat(Duration.between(ready, Instant.now())).isLessThan(Duration.ofMillis(3500));
	}

	private void register(String id, int port) {
		String exchange = this.codec.encode(ExchangeRequest
			.of(id, SILENT_IP, port, "ws://" + SILENT_IP + ":" + port + "/dandelion/" + id + "/ws/", BoxMetrics.NONE)
			.withDataPort(7072));
		new ReactorNettyWebSocketClient()
			.execute(URI.create(this.network.entranceUrl()),
					(session) -> session.send(Mono.just(session.textMessage(exchange)))
						.thenMany(session.receive().take(1))
						.then())
			.block(Duration.ofSeconds(10));
	}

}
