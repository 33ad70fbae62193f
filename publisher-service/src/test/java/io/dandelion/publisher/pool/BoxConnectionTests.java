package io.dandelion.publisher.pool;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.PublishReply;
import io.dandelion.protocol.PublishRequest;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A connection the pool closes ends for real: the box sees its session closed, frames are
 * refused at once, and nothing keeps it alive (its pings used to, so that closed
 * connections stayed READY for good). Against a stand-in box on loopback that accepts
 * PUBLISH and answers pings, as every box does.
 */
class BoxConnectionTests {

	private static final Duration BOUND = Duration.ofSeconds(10);

	private final MessageCodec codec = new MessageCodec();

	private final String boxId = NodeId.random(Role.BOX).value();

	private final AtomicInteger openSessions = new AtomicInteger();

	private DisposableServer box;

	@BeforeEach
	void startStandInBox() {
		String accepted = this.codec.encode(new PublishReply(this.boxId, "127.0.0.1", 7070, "ACCEPTED"));
		this.box = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.ws("/dandelion/" + this.boxId + "/ws/", (in, out) -> {
				this.openSessions.incrementAndGet();
				// ACCEPTED to the PUBLISH, then reads on until the publisher closes
				return Mono.from(out.sendString(in.receive()
					.asString()
					.index()
					.filter((message) -> message.getT1() == 0)
					.map((publish) -> accepted))).doFinally((signal) -> this.openSessions.decrementAndGet());
			}, WebsocketServerSpec.builder().protocols(WebSocketPaths.PERSISTENT_SUBPROTOCOL).build()))
			.bindNow();
	}

	@AfterEach
	void stopStandInBox() {
		this.box.disposeNow();
	}

	@Test
	void shouldEndTheSessionWhenClosedOnceReady() {
		BoxConnection connection = connection();
		Mono<Void> life = connection.run().cache();
		life.subscribe();
		connection.ready().block(BOUND);
		assertThat(connection.state()).isEqualTo(BoxConnection.State.READY);
		assertThat(this.openSessions).hasValue(1);

		connection.close("box moved");

		assertThat(connection.state()).isIn(BoxConnection.State.CLOSING, BoxConnection.State.CLOSED);
		assertThatThrownBy(() -> connection
			.send("/a.ts", "0".repeat(64), DefaultDataBufferFactory.sharedInstance.wrap(new byte[] { 1 }), BOUND)
			.block(BOUND)).isInstanceOf(BoxFailureException.class).hasMessageContaining("connection closing");
		life.block(BOUND);
		// Its end is recorded once the life's completion went out
		await().atMost(BOUND).until(connection::state, equalTo(BoxConnection.State.CLOSED));
		assertThat(connection.closeReason()).isEqualTo("box moved");
		await().atMost(BOUND).untilAtomic(this.openSessions, equalTo(0));
	}

	@Test
	void shouldEndAConnectionClosedWhileItWasStillConnecting() {
		BoxConnection connection = connection();
		connection.close("replaced by a better box");
		connection.run().block(BOUND);
		await().atMost(BOUND).until(connection::state, equalTo(BoxConnection.State.CLOSED));
		await().atMost(BOUND).untilAtomic(this.openSessions, equalTo(0));
	}

	private BoxConnection connection() {
		URI url = URI.create("ws://127.0.0.1:" + this.box.port() + "/dandelion/" + this.boxId + "/ws/");
		BoxCandidate candidate = new BoxCandidate(this.boxId, "127.0.0.1", url, 7072, "http", null, 0.5, 0.5, Map.of(),
				null, null);
		PublishRequest publish = new PublishRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.0.1", null);
		// A timeout far longer than the test: only the close may end the connection
		return new BoxConnection(candidate, publish, new ReactorNettyWebSocketClient(), this.codec,
				Duration.ofMinutes(5), null, true);
	}

}
