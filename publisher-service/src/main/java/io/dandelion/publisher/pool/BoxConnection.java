package io.dandelion.publisher.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.PublishReply;
import io.dandelion.protocol.PublishRequest;
import io.dandelion.protocol.StoredAck;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.support.client.SubprotocolRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.WebSocketClient;

/**
 * One PUBLISH connection to a box. It sends PUBLISH and is usable only once the box
 * answered {@code ACCEPTED} (the original used the socket at once). File frames go out in
 * order, each as a binary message in fragments with pings between them, and the box's
 * STORED replies are matched to them by {@code FILE_PATH} in the same order. A box that
 * refuses the {@code dandelion.v2} subprotocol (the original's) sends no STORED reply: a
 * frame to it counts once {@link CopyVerifier} fetched the right bytes back. A WebSocket
 * ping goes out four times per box timeout; when nothing at all (pong, reply) came back
 * for a whole timeout the connection is dead and ends, failing every frame still waiting
 * for its reply.
 */
final class BoxConnection {

	private static final Logger logger = LoggerFactory.getLogger(BoxConnection.class);

	private static final byte[] PING = { 'd' };

	/**
	 * How much of a file frame one WebSocket fragment carries: what a box holds of it at
	 * a time, and at most what a ping waits for.
	 */
	static final int FRAGMENT_BYTES = 256 * 1024;

	private final BoxCandidate box;

	private final PublishRequest publish;

	private final WebSocketClient client;

	private final MessageCodec codec;

	private final Duration timeout;

	private final CopyVerifier verifier;

	private final AtomicInteger verifying = new AtomicInteger();

	private volatile boolean acknowledges = true;

	// Frames waiting to go out; a bounded queue is not needed as the pool caps frames in
	// flight per box
	private final Sinks.Many<DataBuffer> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final Deque<Pending> pending = new ArrayDeque<>();

	private final Sinks.One<Void> ready = Sinks.one();

	/** Emits when {@link #close(String)} was called: the session ends then. */
	private final Sinks.Empty<Void> closeRequested = Sinks.empty();

	private volatile boolean closing;

	private volatile long lastHeardNanos = System.nanoTime();

	private volatile State state = State.CONNECTING;

	private volatile String closeReason;

	private volatile boolean ticketRefused;

	BoxConnection(BoxCandidate box, PublishRequest publish, WebSocketClient client, MessageCodec codec,
			Duration timeout, CopyVerifier verifier, boolean askForAcks) {
		this.box = box;
		this.publish = publish;
		this.client = client;
		this.codec = codec;
		this.timeout = timeout;
		this.verifier = verifier;
		this.acknowledges = askForAcks;
	}

	BoxCandidate box() {
		return this.box;
	}

	State state() {
		State current = this.state;
		return (this.closing && current != State.CLOSED) ? State.CLOSING : current;
	}

	String closeReason() {
		return this.closeReason;
	}

	/**
	 * Whether the box refused the PUBLISH for its ticket ({@code BAD_TICKET}): the next
	 * attempt waits for the ticket of the next SEARCH.
	 * @return {@code true} once refused so
	 */
	boolean ticketRefused() {
		return this.ticketRefused;
	}

	/**
	 * Frames sent and not yet answered.
	 * @return the count
	 */
	synchronized int inFlight() {
		return this.pending.size() + this.verifying.get();
	}

	/**
	 * Whether the box answers each frame with a STORED reply; known once connected.
	 * @return false for a box of the original's kind
	 */
	boolean acknowledges() {
		return this.acknowledges;
	}

	/**
	 * Completes when the box accepted the PUBLISH.
	 * @return the signal
	 */
	Mono<Void> ready() {
		return this.ready.asMono();
	}

	/**
	 * Connects, runs the connection until it ends and completes then; it never errors
	 * (the reason is in {@link #closeReason()}).
	 * @return the connection's life
	 */
	Mono<Void> run() {
		if (!this.acknowledges) {
			return run(this.client.execute(this.box.connectWs(), handler(false)));
		}
		return run(this.client.execute(this.box.connectWs(), handler(true))
			.onErrorResume(SubprotocolRefusal::isRefusal, (ex) -> {
				logger.info("Box {} speaks the original protocol (no {}): its copies are checked by fetching them back",
						this.box.id(), WebSocketPaths.PERSISTENT_SUBPROTOCOL);
				this.acknowledges = false;
				return this.client.execute(this.box.connectWs(), handler(false));
			}));
	}

	private Mono<Void> run(Mono<Void> connection) {
		// The reason is logged once, when the connection ends (end())
		return connection.onErrorResume((ex) -> {
			this.closeReason = (ex instanceof TimeoutException) ? "no answer for " + this.timeout.toMillis() + " ms"
					: ex.toString();
			return Mono.empty();
		}).doFinally((signal) -> end());
	}

	/**
	 * Ends the connection: no frame is taken from now on, the WebSocket session is closed
	 * (or, while connecting, closed as soon as it opens), and frames still waiting fail.
	 * Completing the outbound frames alone would not do: the pings keep the session, and
	 * the connection would linger READY while every frame failed.
	 * @param reason why, for the log
	 */
	void close(String reason) {
		if (this.closeReason == null) {
			this.closeReason = reason;
		}
		this.closing = true;
		this.outbound.tryEmitComplete();
		this.closeRequested.tryEmitEmpty();
	}

	private WebSocketHandler handler(boolean askForAcks) {
		List<String> subProtocols = askForAcks ? List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL) : List.of();
		return new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return subProtocols;
			}

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				return BoxConnection.this.handle(session);
			}

		};
	}

	private Mono<Void> handle(WebSocketSession session) {
		Duration pingEvery = this.timeout.dividedBy(4);
		this.lastHeardNanos = System.nanoTime();
		Mono<WebSocketMessage> hello = Mono.fromSupplier(() -> session.textMessage(this.codec.encode(this.publish)));
		Mono<Void> frames = this.outbound.asFlux()
			.concatMap((frame) -> sendFragments(session, frame))
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.then();
		Flux<WebSocketMessage> pings = Flux.interval(pingEvery, pingEvery)
			.map((tick) -> session.pingMessage((factory) -> factory.wrap(PING)));
		// Pings go out on their own, between the fragments of a frame: a large file never
		// delays them, so the box's pongs keep coming while it receives it
		Mono<Void> send = session.send(Flux.concat(hello, pings)).and(frames);
		Mono<Void> receive = session.receive().doOnNext(this::onMessage).then();
		// Any inbound frame proves the box alive; a silent one is dead after the timeout
		Mono<Void> watchdog = Flux.interval(pingEvery, pingEvery)
			.filter((tick) -> System.nanoTime() - this.lastHeardNanos > this.timeout.toNanos())
			.next()
			.then(Mono.error(new TimeoutException("box silent")));
		return Mono.firstWithSignal(receive, send, watchdog, this.closeRequested.asMono()).then(Mono.defer(() -> {
			if (this.closeReason == null) {
				this.closeReason = "closed by the box";
			}
			return session.close();
		}));
	}

	/**
	 * Sends one file frame as a binary WebSocket message in fragments of
	 * {@link #FRAGMENT_BYTES}, each written before the next is made, so that pings are
	 * written between them and the box holds a few fragments, not the file.
	 */
	private Mono<Void> sendFragments(WebSocketSession session, DataBuffer frame) {
		ByteBuf bytes = NettyDataBufferFactory.toByteBuf(frame);
		int length = bytes.readableBytes();
		int count = Math.max(1, (length + FRAGMENT_BYTES - 1) / FRAGMENT_BYTES);
		NettyDataBufferFactory buffers = (NettyDataBufferFactory) session.bufferFactory();
		return Flux.range(0, count).concatMap((index) -> session.send(Mono.fromSupplier(() -> {
			int offset = bytes.readerIndex() + index * FRAGMENT_BYTES;
			ByteBuf fragment = bytes.retainedSlice(offset, Math.min(FRAGMENT_BYTES, length - index * FRAGMENT_BYTES));
			boolean last = index == count - 1;
			WebSocketFrame nativeFrame = (index == 0) ? new BinaryWebSocketFrame(last, 0, fragment)
					: new ContinuationWebSocketFrame(last, 0, fragment);
			return new WebSocketMessage(WebSocketMessage.Type.BINARY, buffers.wrap(fragment), nativeFrame);
		})), 1).then().doFinally((signal) -> DataBufferUtils.release(frame));
	}

	private void onMessage(WebSocketMessage message) {
		this.lastHeardNanos = System.nanoTime();
		if (message.getType() != WebSocketMessage.Type.TEXT) {
			return;
		}
		String text = message.getPayloadAsText();
		Message decoded;
		try {
			decoded = this.codec.decode(text);
		}
		catch (MessageFormatException ex) {
			logger.warn("Box {} sent an unreadable message: {}", this.box.id(), ex.getMessage());
			return;
		}
		if (decoded instanceof PublishReply reply) {
			if (reply.accepted() && this.state == State.CONNECTING) {
				this.state = State.READY;
				logger.info("Box {} accepted PUBLISH at {}", this.box.id(), this.box.connectWs());
				this.ready.tryEmitEmpty();
			}
			else if (!reply.accepted()) {
				close("PUBLISH not accepted: " + reply.message());
			}
		}
		else if (decoded instanceof StoredAck ack) {
			onAck(ack);
		}
		else if (decoded instanceof ErrorReply error) {
			onError(error);
		}
		else {
			logger.debug("Box {} sent an unexpected {}", this.box.id(), decoded.getClass().getSimpleName());
		}
	}

	private void onError(ErrorReply error) {
		String reason = UntrustedText.quote(error.error());
		if (AuthException.Code.BAD_TICKET.name().equals(error.errorCode()) && this.state == State.CONNECTING) {
			this.ticketRefused = true;
			logger.warn(
					"Box {} refused PUBLISH for its ticket (BAD_TICKET: {}; {}): this attempt failed, the next "
							+ "one waits for the ticket of the next SEARCH",
					this.box.id(), reason,
					(this.publish.publishTicket() != null) ? "a ticket was sent" : "no entrance gave a ticket for it");
			close("PUBLISH refused: BAD_TICKET " + reason);
			return;
		}
		logger.warn("Box {} answered an error: {} {}", this.box.id(), error.errorCode(), reason);
		if (this.state == State.CONNECTING) {
			close("PUBLISH refused: " + reason);
		}
	}

	private void onAck(StoredAck ack) {
		// Replies come in frame order; frames whose reply never came (e.g. timed out on
		// our side) are skipped
		while (true) {
			Pending head;
			synchronized (this) {
				head = this.pending.poll();
			}
			if (head == null) {
				logger.debug("Box {} acknowledged {} which is not waiting", this.box.id(), ack.filePath());
				return;
			}
			if (ack.filePath() == null || ack.filePath().equals(head.filePath())) {
				head.reply().tryEmitValue(ack);
				return;
			}
			head.reply().tryEmitError(new BoxFailureException(this.box.id(), "no reply for " + head.filePath()));
		}
	}

	/**
	 * Sends one file frame and waits for the box's reply, or for its copy to be verified
	 * when the box sends no replies.
	 * @param filePath the frame's {@code FILE_PATH}
	 * @param sha256 the SHA-256 of the frame's content
	 * @param frame the whole frame; released once written or refused
	 * @param ackTimeout how long the reply may take
	 * @return the box's reply; {@link BoxFailureException} when the connection cannot
	 * take the frame or ends first
	 */
	Mono<StoredAck> send(String filePath, String sha256, DataBuffer frame, Duration ackTimeout) {
		return Mono.defer(() -> {
			// A box that acknowledges has its reply awaited in frame order, registered
			// before the frame goes out; the copy on one that does not is fetched back
			Pending entry = this.acknowledges ? new Pending(filePath, Sinks.one()) : null;
			synchronized (this) {
				if (this.state != State.READY || this.closing) {
					DataBufferUtils.release(frame);
					return Mono.error(new BoxFailureException(this.box.id(),
							this.closing ? "connection closing" : "connection not ready"));
				}
				if (entry != null) {
					this.pending.add(entry);
				}
				if (this.outbound.tryEmitNext(frame).isFailure()) {
					if (entry != null) {
						this.pending.remove(entry);
					}
					DataBufferUtils.release(frame);
					return Mono.error(new BoxFailureException(this.box.id(), "connection closing"));
				}
				if (entry == null) {
					this.verifying.incrementAndGet();
				}
			}
			if (entry == null) {
				return this.verifier.verify(this.box, filePath, sha256, ackTimeout)
					.doFinally((signal) -> this.verifying.decrementAndGet());
			}
			return entry.reply()
				.asMono()
				.timeout(ackTimeout, Mono
					.error(() -> new BoxFailureException(this.box.id(), "no STORED reply within " + ackTimeout)));
		});
	}

	private void end() {
		this.state = State.CLOSED;
		this.outbound.tryEmitComplete();
		this.ready.tryEmitError(new BoxFailureException(this.box.id(), "connection ended: " + this.closeReason));
		Deque<Pending> failed;
		synchronized (this) {
			failed = new ArrayDeque<>(this.pending);
			this.pending.clear();
		}
		failed.forEach((entry) -> entry.reply()
			.tryEmitError(new BoxFailureException(this.box.id(), "connection lost: " + this.closeReason)));
		logger.info("Connection to box {} ended: {}", this.box.id(), this.closeReason);
	}

	/**
	 * Where a connection is in its life.
	 */
	enum State {

		/** Connecting, or waiting for ACCEPTED. */
		CONNECTING,

		/** Accepted: frames may be sent. */
		READY,

		/** Asked to close: no frame is taken, the session is ending. */
		CLOSING,

		/** Ended. */
		CLOSED

	}

	private record Pending(String filePath, Sinks.One<StoredAck> reply) {

	}

}
