package io.dandelion.publisher.pool;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.PublishReply;
import io.dandelion.protocol.PublishRequest;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * A box that takes longer than its timeout to receive a file is alive: the publisher's
 * pings go out between the file's fragments and the box's pongs come back meanwhile (they
 * used to wait behind the whole file, and busy boxes were declared lost). Against a
 * stand-in box on loopback that reads slowly, as over a slow link, and answers pings as
 * every box does.
 */
class BoxConnectionLivenessTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	/** Bytes per second the stand-in box reads: the file takes about 4 s. */
	private static final long READ_RATE = 3 * 1024 * 1024;

	private static final int FILE_BYTES = 12 * 1024 * 1024;

	/** Small, fixed socket buffers: what the link holds ahead of a ping stays small. */
	private static final int SOCKET_BUFFER = 64 * 1024;

	private final MessageCodec codec = new MessageCodec();

	private final String boxId = NodeId.random(Role.BOX).value();

	private final AtomicLong received = new AtomicLong();

	private DisposableServer box;

	@BeforeEach
	void startSlowStandInBox() {
		String accepted = this.codec.encode(new PublishReply(this.boxId, "127.0.0.1", 7070, "ACCEPTED"));
		this.box = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.childOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
			.route((routes) -> routes.ws("/dandelion/" + this.boxId + "/ws/", (in, out) -> {
				// Throttles the raw bytes, before the WebSocket decoder
				in.withConnection((connection) -> connection.channel()
					.pipeline()
					.addFirst(new ChannelTrafficShapingHandler(0, READ_RATE, 50)));
				// ACCEPTED to the PUBLISH, then reads on until the publisher closes
				Sinks.Many<String> replies = Sinks.many().unicast().onBackpressureBuffer();
				Mono<Void> reading = in.receiveFrames().doOnNext((frame) -> {
					this.received.addAndGet(frame.content().readableBytes());
					if (frame instanceof TextWebSocketFrame) {
						replies.tryEmitNext(accepted);
					}
				}).then();
				return out.sendString(replies.asFlux()).then().and(reading);
			}, WebsocketServerSpec.builder()
				.protocols(WebSocketPaths.PERSISTENT_SUBPROTOCOL)
				.maxFramePayloadLength(64 * 1024 * 1024)
				.build()))
			.bindNow();
	}

	@AfterEach
	void stopStandInBox() {
		this.box.disposeNow();
	}

	@Test
	void shouldKeepABoxThatReceivesAFileForLongerThanItsTimeout() {
		BoxConnection connection = connection();
		Disposable life = connection.run().subscribe();
		try {
			connection.ready().block(Duration.ofSeconds(10));
			connection
				.send("/large.mp4", "0".repeat(64), DefaultDataBufferFactory.sharedInstance.wrap(new byte[FILE_BYTES]),
						Duration.ofMinutes(1))
				.subscribe((ack) -> {
				}, (ex) -> {
				});
			await().atMost(Duration.ofSeconds(30)).untilAtomic(this.received, greaterThanOrEqualTo((long) FILE_BYTES));
			assertThat(connection.closeReason()).isNull();
			assertThat(connection.state()).isEqualTo(BoxConnection.State.READY);
		}
		finally {
			life.dispose();
		}
	}

	private BoxConnection connection() {
		URI url = URI.create("ws://127.0.0.1:" + this.box.port() + "/dandelion/" + this.boxId + "/ws/");
		BoxCandidate candidate = new BoxCandidate(this.boxId, "127.0.0.1", url, 7072, "http", null, 0.5, 0.5, Map.of(),
				null, null);
		PublishRequest publish = new PublishRequest(NodeId.random(Role.PUBLISHER).value(), "127.0.0.1", null);
		ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(
				HttpClient.create().option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER),
				() -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024));
		return new BoxConnection(candidate, publish, client, this.codec, TIMEOUT, null, true);
	}

}
