package io.dandelion.agent.publish;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.WebSocketPaths;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/**
 * A publisher for tests: a real WebSocket client on loopback that sends text messages and
 * file frames to a box and collects its replies, with bounded waits.
 */
public final class PublisherTestClient {

	private static final ObjectMapper mapper = new ObjectMapper();

	// Unpooled: Netty's pooled memory counts only what the box holds
	private final ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(
			HttpClient.create().option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT),
			() -> WebsocketClientSpec.builder().maxFramePayloadLength(256 * 1024 * 1024));

	private final URI uri;

	private final String boxId;

	private final List<String> subProtocols;

	/**
	 * A publisher that speaks our protocol: it asks for {@code dandelion.v2} and so gets
	 * a STORED reply to each frame.
	 * @param port the box's port
	 * @param boxId the box's ID
	 */
	public PublisherTestClient(int port, String boxId) {
		this(port, boxId, List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL));
	}

	private PublisherTestClient(int port, String boxId, List<String> subProtocols) {
		this.uri = URI.create("ws://127.0.0.1:" + port + WebSocketPaths.boxWebSocket(boxId));
		this.boxId = boxId;
		this.subProtocols = subProtocols;
	}

	/**
	 * A publisher as the original's: it asks for no subprotocol.
	 * @param port the box's port
	 * @param boxId the box's ID
	 * @return the client
	 */
	public static PublisherTestClient original(int port, String boxId) {
		return new PublisherTestClient(port, boxId, List.of());
	}

	/**
	 * Sends the messages in order (String as text, byte[] as binary) and collects replies
	 * until {@code replies} arrived, then closes the connection.
	 * @param replies how many replies to wait for
	 * @param messages the messages
	 * @return the replies
	 */
	public Conversation exchange(int replies, Object... messages) {
		return run(replies, messages);
	}

	/**
	 * Sends the messages in order and collects replies until the box closes the
	 * connection.
	 * @param messages the messages
	 * @return the replies and the close status
	 */
	public Conversation exchangeUntilClosed(Object... messages) {
		return run(-1, messages);
	}

	/**
	 * Sends PUBLISH, waits for its reply, sends the frame and closes the connection as
	 * soon as the frame is written, without waiting for its reply: a publisher that goes
	 * away right after its last frame.
	 * @param publish the PUBLISH message
	 * @param frame the frame
	 */
	public void publishFrameAndClose(String publish, byte[] frame) {
		this.client.execute(this.uri, withSubProtocols((session) -> {
			Sinks.Empty<Void> replied = Sinks.empty();
			// Never cancelled: Reactor Netty would close the connection itself
			Mono<Void> inbound = session.receive().doOnNext((reply) -> replied.tryEmitEmpty()).then();
			Mono<Void> outbound = session.send(outbound(session, publish))
				.then(replied.asMono())
				.then(session.send(outbound(session, frame)))
				.then(session.close());
			return outbound.and(inbound);
		})).block(Duration.ofSeconds(30));
	}

	/**
	 * Opens a connection the test drives one message at a time, e.g. to stop something
	 * between a PUBLISH and its frames.
	 * @return the open connection
	 */
	public Connection open() {
		Sinks.Many<Object> messages = Sinks.many().unicast().onBackpressureBuffer();
		BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
		Disposable running = this.client
			.execute(this.uri,
					withSubProtocols((session) -> session
						.send(messages.asFlux().concatMap((message) -> outbound(session, message)))
						.and(session.receive()
							.map(WebSocketMessage::getPayloadAsText)
							.map(PublisherTestClient::read)
							.doOnNext(replies::add))))
			.subscribe();
		return new Connection(messages, replies, running);
	}

	private static Flux<WebSocketMessage> outbound(WebSocketSession session, Object... messages) {
		return Flux.fromArray(messages).concatMap((message) -> {
			if (message instanceof Fragments fragments) {
				return fragments.messages(session);
			}
			return Mono.just((message instanceof String text) ? session.textMessage(text)
					: session.binaryMessage((factory) -> factory.wrap((byte[]) message)));
		});
	}

	/**
	 * A binary message sent as WebSocket fragments (a binary frame, then continuation
	 * frames), made as they are sent: a large frame never exists whole in the test.
	 *
	 * @param prefix the frame's tags and header
	 * @param contentBytes how long the content is
	 * @param fragmentBytes how much content each fragment carries
	 * @param seed what the content is made from, see {@link #content(long, int, long)}
	 */
	public record Fragments(byte[] prefix, long contentBytes, int fragmentBytes, long seed) {

		/**
		 * A frame for the given path and TTL, its content pseudo-random.
		 * @param filePath the FILE_PATH
		 * @param ttl the TTL in seconds
		 * @param sha256 the SHA256 header, {@code null} for none
		 * @param contentBytes the content's length
		 * @param fragmentBytes the content in each fragment
		 * @return the fragments
		 */
		public static Fragments of(String filePath, int ttl, String sha256, long contentBytes, int fragmentBytes) {
			Map<String, Object> header = new LinkedHashMap<>();
			header.put("FILE_PATH", filePath);
			header.put("TTL", ttl);
			if (sha256 != null) {
				header.put("SHA256", sha256);
			}
			try {
				return new Fragments(frame(mapper.writeValueAsString(header), new byte[0]), contentBytes, fragmentBytes,
						contentBytes);
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * The content's bytes from an offset, the same for the same seed.
		 * @param seed the seed
		 * @param length how many
		 * @param offset from where
		 * @return the bytes
		 */
		public static byte[] content(long seed, int length, long offset) {
			byte[] bytes = new byte[length];
			for (int i = 0; i < length; i++) {
				long position = offset + i;
				bytes[i] = (byte) ((position * 31 + seed) ^ (position >>> 9));
			}
			return bytes;
		}

		/**
		 * The SHA-256 of the content, made again to hash it.
		 * @return the lowercase hex digest
		 */
		public String sha256() {
			try {
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				for (long offset = 0; offset < this.contentBytes; offset += this.fragmentBytes) {
					digest.update(content(this.seed, length(offset), offset));
				}
				return HexFormat.of().formatHex(digest.digest());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		private int length(long offset) {
			return (int) Math.min(this.fragmentBytes, this.contentBytes - offset);
		}

		Flux<WebSocketMessage> messages(WebSocketSession session) {
			long count = Math.max(1, (this.contentBytes + this.fragmentBytes - 1) / this.fragmentBytes);
			return Flux.range(0, (int) count).map((index) -> {
				long offset = (long) index * this.fragmentBytes;
				byte[] content = content(this.seed, length(offset), offset);
				boolean last = index == count - 1;
				ByteBuf payload = (index == 0) ? Unpooled.wrappedBuffer(this.prefix, content)
						: Unpooled.wrappedBuffer(content);
				WebSocketFrame frame = (index == 0) ? new BinaryWebSocketFrame(last, 0, payload)
						: new ContinuationWebSocketFrame(last, 0, payload);
				return new WebSocketMessage(WebSocketMessage.Type.BINARY,
						DefaultDataBufferFactory.sharedInstance.wrap(new byte[0]), frame);
			});
		}

	}

	private Conversation run(int replies, Object... messages) {
		List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
		AtomicReference<CloseStatus> closed = new AtomicReference<>();
		this.client.execute(this.uri, withSubProtocols((session) -> {
			Flux<WebSocketMessage> outbound = outbound(session, messages);
			Flux<Map<String, Object>> inbound = session.receive()
				.map(WebSocketMessage::getPayloadAsText)
				.map(PublisherTestClient::read)
				.doOnNext(received::add);
			if (replies >= 0) {
				return session.send(outbound).and(inbound.take(replies));
			}
			return session.send(outbound).and(inbound).then(session.closeStatus().doOnNext(closed::set)).then();
		})).block(Duration.ofSeconds(30));
		return new Conversation(List.copyOf(received), closed.get());
	}

	private WebSocketHandler withSubProtocols(WebSocketHandler handler) {
		return new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return PublisherTestClient.this.subProtocols;
			}

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				return handler.handle(session);
			}

		};
	}

	/**
	 * A PUBLISH from the given publisher with a valid ticket for this client's box, from
	 * the entrance the test boxes trust ({@link TestTrust}).
	 * @param publisherId the publisher
	 * @return the JSON text
	 */
	public String publish(String publisherId) {
		return publish(publisherId, TestTrust.ticket(publisherId, this.boxId));
	}

	/**
	 * A PUBLISH from the given publisher carrying the given ticket.
	 * @param publisherId the publisher
	 * @param ticket the {@code PUBLISH_TICKET}, {@code null} for none (as the original's
	 * publishers send it)
	 * @return the JSON text
	 */
	public static String publish(String publisherId, String ticket) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("ID", publisherId);
		fields.put("IP", "127.0.0.1");
		fields.put("TYPE", "PUBLISHER");
		fields.put("COMMAND", "PUBLISH");
		if (ticket != null) {
			fields.put("PUBLISH_TICKET", ticket);
		}
		try {
			return mapper.writeValueAsString(fields);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A frame with a raw JSON header, e.g. {@code {"FILE_PATH": "/a.ts", "TTL": "0"}}.
	 * @param headerJson the header
	 * @param content the content
	 * @return the frame bytes
	 */
	public static byte[] frame(String headerJson, byte[] content) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.writeBytes("<Dandelion>".getBytes(StandardCharsets.US_ASCII));
		frame.writeBytes(headerJson.getBytes(StandardCharsets.UTF_8));
		frame.writeBytes("</Dandelion>".getBytes(StandardCharsets.US_ASCII));
		frame.writeBytes(content);
		return frame.toByteArray();
	}

	/**
	 * A frame for the given path and TTL.
	 * @param filePath the FILE_PATH
	 * @param ttl the TTL in seconds
	 * @param content the content
	 * @return the frame bytes
	 */
	public static byte[] frame(String filePath, int ttl, byte[] content) {
		try {
			return frame(mapper.writeValueAsString(Map.of("FILE_PATH", filePath, "TTL", ttl)), content);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The lowercase hex SHA-256 of the content.
	 * @param content the bytes
	 * @return the digest
	 */
	public static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> read(String json) {
		try {
			return mapper.readValue(json, new TypeReference<>() {
			});
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Box sent invalid JSON: " + json, ex);
		}
	}

	/**
	 * A connection the test drives: it sends one message at a time and waits for each
	 * reply within a bound. Close it when done.
	 */
	public static final class Connection implements AutoCloseable {

		private final Sinks.Many<Object> messages;

		private final BlockingQueue<Map<String, Object>> replies;

		private final Disposable running;

		private Connection(Sinks.Many<Object> messages, BlockingQueue<Map<String, Object>> replies,
				Disposable running) {
			this.messages = messages;
			this.replies = replies;
			this.running = running;
		}

		/**
		 * Sends a message and waits for the next reply.
		 * @param message a String as text, a byte[] as binary
		 * @param within how long the box may take to answer
		 * @return the reply
		 * @throws AssertionError when none came within the bound
		 */
		public Map<String, Object> request(Object message, Duration within) {
			this.messages.tryEmitNext(message).orThrow();
			try {
				Map<String, Object> reply = this.replies.poll(within.toMillis(), TimeUnit.MILLISECONDS);
				if (reply == null) {
					throw new AssertionError("No reply within " + within);
				}
				return reply;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			this.messages.tryEmitComplete();
			this.running.dispose();
		}

	}

	/**
	 * What the box answered.
	 *
	 * @param replies the replies, decoded as maps
	 * @param closeStatus how the box closed the connection, {@code null} if it did not
	 */
	public record Conversation(List<Map<String, Object>> replies, CloseStatus closeStatus) {

		public Map<String, Object> reply(int index) {
			return this.replies.get(index);
		}

	}

}
