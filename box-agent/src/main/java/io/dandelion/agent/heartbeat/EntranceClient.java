package io.dandelion.agent.heartbeat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.agent.metrics.AgentMetrics.Heartbeat;
import io.dandelion.agent.publish.PublicAddress;
import io.dandelion.agent.traffic.TrafficBatch;
import io.dandelion.agent.traffic.TrafficOutbox;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.ExchangeReply;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.Message;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.MessageFormatException;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.support.client.ClientTls;
import io.dandelion.support.client.SubprotocolRefusal;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.client.WebSocketClient;

/**
 * Sends the box's EXCHANGE heartbeats to one entrance after another period, forever.
 * Prefers one WebSocket kept open (subprotocol {@code dandelion.v2}), and falls back to
 * the original's one connection per heartbeat with an entrance that does not speak it.
 * Failures back off exponentially with jitter, and nothing a peer does ends the loop (the
 * original's died on one failed IP lookup). With a {@code CREDENTIAL}, every EXCHANGE
 * carries a fresh proof of it ({@link MessageAuth}).
 */
@Component
class EntranceClient {

	private static final Logger logger = LoggerFactory.getLogger(EntranceClient.class);

	private static final int MAX_FRAME_PAYLOAD = 1024 * 1024;

	/** The longest wait of a standby URL between two looks at the directory. */
	private static final Duration STANDBY_CHECK = Duration.ofSeconds(1);

	private final WebSocketClient client;

	private final MessageCodec codec;

	private final SelfExchange selfExchange;

	private final TrafficOutbox outbox;

	private final EntranceDirectory directory;

	private final PublicAddress address;

	private final Duration period;

	/**
	 * How often a standby URL looks whether it must take the heartbeats over: more often
	 * than they are due, as taking over is a look at the directory and the box is silent
	 * until it happens; at most every heartbeat period.
	 */
	private final Duration standbyCheck;

	private final Duration replyTimeout;

	private final Duration subprotocolRetry;

	private final Backoff backoff;

	private final NodeCredential credential;

	private final AgentMetrics metrics;

	/** The last {@code AUTH_TIME} sent, so that each is later than the one before. */
	private final AtomicLong lastAuthTime = new AtomicLong();

	EntranceClient(BoxProperties properties, SelfExchange selfExchange, TrafficOutbox outbox,
			EntranceDirectory directory, PublicAddress address, ClientTls tls, BoxSecurity security, MessageCodec codec,
			AgentMetrics metrics) {
		this.client = webSocketClient(properties, tls);
		this.metrics = metrics;
		this.codec = codec;
		this.selfExchange = selfExchange;
		this.outbox = outbox;
		this.directory = directory;
		this.address = address;
		this.period = properties.pingEntranceFreq();
		this.standbyCheck = (this.period.compareTo(STANDBY_CHECK) < 0) ? this.period : STANDBY_CHECK;
		this.replyTimeout = properties.heartbeat().replyTimeout();
		this.subprotocolRetry = properties.heartbeat().subprotocolRetry();
		this.backoff = new Backoff(properties.heartbeat().backoffMin(), properties.heartbeat().backoffMax());
		this.credential = security.credential().orElse(null);
	}

	private static WebSocketClient webSocketClient(BoxProperties properties, ClientTls tls) {
		Duration timeout = properties.heartbeat().replyTimeout();
		// The response timeout bounds the upgrade handshake; it is removed once the
		// upgrade answer arrived, so it does not cut an idle persistent connection
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
			.responseTimeout(timeout);
		String serverIp = properties.serverIp();
		if (!"0.0.0.0".equals(serverIp) && !"::".equals(serverIp)) {
			// Leave from the address the box serves on, so that an entrance sees boxes
			// sharing a host (127.0.2.10, 127.0.3.10) as the addresses they are
			http = http.bindAddress(() -> new InetSocketAddress(serverIp, 0));
		}
		return new ReactorNettyWebSocketClient(tls.apply(http),
				() -> WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME_PAYLOAD));
	}

	/**
	 * Heartbeats to one entrance until cancelled.
	 * @param entrance the entrance
	 * @return the loop; it never ends by itself
	 */
	Flux<Void> heartbeats(KnownEntrance entrance) {
		return new Link(entrance).run();
	}

	/**
	 * The EXCHANGE as sent: signed now, when the box has a credential. An entrance
	 * accepts an {@code AUTH_TIME} only once and only later than the last, so each is at
	 * least a millisecond after the one before, whichever entrance it went to.
	 */
	private ExchangeRequest signed(ExchangeRequest request) {
		if (this.credential == null) {
			return request;
		}
		long now = System.currentTimeMillis();
		long time = this.lastAuthTime.updateAndGet((last) -> Math.max(now, last + 1));
		return MessageAuth.sign(request, this.credential, Instant.ofEpochMilli(time));
	}

	/**
	 * One heartbeat and what the box sent in it.
	 *
	 * @param request the EXCHANGE
	 * @param batch the traffic entries it carries
	 * @param answered completes when the entrance's answer has been handled
	 */
	private record Outgoing(ExchangeRequest request, TrafficBatch batch, Sinks.Empty<Void> answered) {

	}

	/** The state of the heartbeats to one entrance. */
	private final class Link {

		private final KnownEntrance entrance;

		private volatile int failures;

		private volatile long persistentRefusedAt;

		private volatile boolean persistentRefused;

		private volatile String lastError;

		private volatile boolean standby;

		Link(KnownEntrance entrance) {
			this.entrance = entrance;
		}

		Flux<Void> run() {
			return Mono.defer(this::round).repeat().thenMany(Flux.<Void>empty()).onErrorResume((ex) -> {
				// Not expected (round() handles every failure): start over
				// rather than stop
				logger.error("Heartbeats to {} failed unexpectedly; starting again", this.entrance, ex);
				return Mono.delay(EntranceClient.this.backoff.max()).thenMany(run());
			});
		}

		/**
		 * One connection: one heartbeat, or many on a persistent one; then the wait. None
		 * while another URL of the same entrance carries the heartbeats.
		 */
		private Mono<Void> round() {
			if (isStandby()) {
				return Mono.delay(EntranceClient.this.standbyCheck).then();
			}
			return Mono.defer(this::connect)
				.then(Mono.fromCallable(() -> EntranceClient.this.period))
				.onErrorResume((ex) -> {
					EntranceClient.this.metrics.heartbeat(Heartbeat.FAILED);
					EntranceClient.this.directory.failed(this.entrance, ex);
					int failed = ++this.failures;
					Duration delay = EntranceClient.this.backoff.delay(failed);
					logger.debug("Heartbeat to {} failed ({} in a row), next attempt in {}: {}", this.entrance, failed,
							delay, EntranceDirectory.describe(ex));
					return Mono.just(delay);
				})
				.flatMap(Mono::delay)
				.then();
		}

		/** Whether another URL of this entrance carries the heartbeats; logs changes. */
		private boolean isStandby() {
			Optional<KnownEntrance> active = EntranceClient.this.directory.standingInFor(this.entrance);
			if (active.isPresent() != this.standby) {
				this.standby = active.isPresent();
				if (this.standby) {
					logger.info("Entrance {} is a replica of {} (ID {}): the heartbeats go there, this URL stands by",
							this.entrance, active.get(), this.entrance.entranceId());
				}
				else {
					logger.info("Entrance {} takes the heartbeats for {}: no other URL of it answers", this.entrance,
							this.entrance.entranceId());
				}
			}
			return this.standby;
		}

		private Mono<Void> connect() {
			if (this.persistentRefused
					&& System.nanoTime() - this.persistentRefusedAt > EntranceClient.this.subprotocolRetry.toNanos()) {
				this.persistentRefused = false;
			}
			boolean askPersistent = !this.persistentRefused;
			Mono<Void> session = EntranceClient.this.client.execute(this.entrance.url().uri(),
					new Session(askPersistent));
			if (!askPersistent) {
				return session;
			}
			return session.onErrorResume(SubprotocolRefusal::isRefusal, (ex) -> {
				// An entrance of the original kind: it answers one EXCHANGE
				// per connection
				logger.debug("Entrance {} does not keep connections; one connection per heartbeat", this.entrance);
				this.persistentRefused = true;
				this.persistentRefusedAt = System.nanoTime();
				return EntranceClient.this.client.execute(this.entrance.url().uri(), new Session(false));
			});
		}

		/** The next heartbeat: the latest exchange data and the traffic waiting. */
		private Mono<Outgoing> prepare() {
			return EntranceClient.this.selfExchange.current()
				.zipWhen((exchange) -> EntranceClient.this.outbox.claim())
				.map((both) -> new Outgoing(signed(both.getT1().withTraffic(both.getT2().entries())), both.getT2(),
						Sinks.empty()));
		}

		/** Handles the entrance's answer to one heartbeat. */
		private Mono<Void> answer(Outgoing outgoing, String text) {
			Message message;
			try {
				message = EntranceClient.this.codec.decode(text);
			}
			catch (MessageFormatException ex) {
				EntranceClient.this.outbox.release(outgoing.batch());
				return Mono.error(new IllegalStateException("unreadable reply: " + ex.getMessage()));
			}
			if (message instanceof ExchangeReply reply) {
				EntranceClient.this.metrics.heartbeat(reply.accepted() ? Heartbeat.ACCEPTED : Heartbeat.REFUSED);
				this.failures = 0;
				if (this.lastError != null && reply.accepted()) {
					logger.info("Entrance {} accepts the heartbeats again", this.entrance);
				}
				this.lastError = null;
				EntranceClient.this.directory.answered(this.entrance, reply.id());
				if (reply.accepted()) {
					EntranceClient.this.address.reportedByEntrance(reply.yourIp());
					EntranceClient.this.directory.learn(reply.entranceUrls());
				}
				else {
					logger.warn("Entrance {} did not accept the heartbeat (MESSAGE {})", this.entrance,
							reply.message());
				}
				return EntranceClient.this.outbox.complete(outgoing.batch(), reply.accepted());
			}
			EntranceClient.this.outbox.release(outgoing.batch());
			if (message instanceof ErrorReply error) {
				// The entrance is there but refuses: not a reason to back off,
				// but worth one log line per kind of refusal. The traffic waits
				// for an entrance that accepts
				EntranceClient.this.metrics.heartbeat(Heartbeat.REFUSED);
				this.failures = 0;
				EntranceClient.this.directory.answered(this.entrance, error.id());
				String reason = isAuthRefusal(error) ? error.errorCode() : error.errorCode() + ": " + error.error();
				if (!reason.equals(this.lastError)) {
					logRefusal(error);
				}
				this.lastError = reason;
				return Mono.empty();
			}
			return Mono.error(new IllegalStateException("unexpected " + message.getClass().getSimpleName()));
		}

		/**
		 * Whether the entrance refused the box's proof ({@code STALE_REQUEST}'s message
		 * differs with each heartbeat, so such refusals are told apart by code alone).
		 */
		private static boolean isAuthRefusal(ErrorReply error) {
			return AuthException.Code.UNAUTHENTICATED.name().equals(error.errorCode())
					|| AuthException.Code.STALE_REQUEST.name().equals(error.errorCode());
		}

		private void logRefusal(ErrorReply error) {
			boolean signed = EntranceClient.this.credential != null;
			if (AuthException.Code.UNAUTHENTICATED.name().equals(error.errorCode())) {
				logger.error(
						"Entrance {} refuses the box's heartbeats as unauthenticated ({}): {}; traffic reports "
								+ "wait until it accepts them",
						this.entrance, UntrustedText.quote(error.error()),
						signed ? "check that CREDENTIAL is the one this entrance's operator issued to this box"
								: "the entrance needs a credential; ask its operator for one for this box's ID and "
										+ "set CREDENTIAL");
			}
			else if (AuthException.Code.STALE_REQUEST.name().equals(error.errorCode())) {
				logger.error("Entrance {} refuses the box's heartbeats as stale ({}): their AUTH_TIME is more than "
						+ "a minute from the entrance's clock, or not later than one it accepted before; keep the "
						+ "clocks of box and entrance in time (NTP). Traffic reports wait until it accepts them",
						this.entrance, UntrustedText.quote(error.error()));
			}
			else {
				logger.warn("Entrance {} refused the heartbeat: {}: {}", this.entrance,
						UntrustedText.quote(error.errorCode()), UntrustedText.quote(error.error()));
			}
		}

		/** One WebSocket session with the entrance. */
		private final class Session implements WebSocketHandler {

			private final boolean askPersistent;

			Session(boolean askPersistent) {
				this.askPersistent = askPersistent;
			}

			@Override
			public List<String> getSubProtocols() {
				return this.askPersistent ? List.of(WebSocketPaths.PERSISTENT_SUBPROTOCOL) : List.of();
			}

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				boolean persistent = WebSocketPaths.PERSISTENT_SUBPROTOCOL
					.equals(session.getHandshakeInfo().getSubProtocol());
				Flux<String> replies = session.receive()
					.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
					.map(WebSocketMessage::getPayloadAsText);
				return persistent ? persistent(session, replies) : once(session, replies);
			}

			/** The original's way: send one EXCHANGE, read one reply, close. */
			private Mono<Void> once(WebSocketSession session, Flux<String> replies) {
				return prepare()
					.flatMap((outgoing) -> session
						.send(Mono.just(session.textMessage(EntranceClient.this.codec.encode(outgoing.request()))))
						.then(replies.next()
							.switchIfEmpty(Mono.error(() -> new IllegalStateException("closed without answering")))
							.timeout(EntranceClient.this.replyTimeout))
						.flatMap((text) -> answer(outgoing, text))
						.doFinally((signal) -> EntranceClient.this.outbox.release(outgoing.batch())))
					.then(session.close());
			}

			/**
			 * One EXCHANGE per period on the same connection; each must be answered
			 * before the next is due, else the connection is given up.
			 */
			private Mono<Void> persistent(WebSocketSession session, Flux<String> replies) {
				Queue<Outgoing> unanswered = new ConcurrentLinkedQueue<>();
				// Send, wait for the answer, wait a period, again: the time a
				// heartbeat takes adds to the period, as in the original
				Flux<WebSocketMessage> heartbeats = Flux.defer(() -> prepare().flatMapMany((outgoing) -> {
					unanswered.add(outgoing);
					return Mono.just(session.textMessage(EntranceClient.this.codec.encode(outgoing.request())))
						.concatWith(outgoing.answered()
							.asMono()
							.timeout(EntranceClient.this.replyTimeout)
							.then(Mono.delay(EntranceClient.this.period))
							.then(Mono.empty()));
				})).repeat(() -> !Link.this.isStandby());
				Mono<Void> output = session.send(heartbeats);
				Mono<Void> input = replies.concatMap((text) -> {
					Outgoing outgoing = unanswered.poll();
					if (outgoing == null) {
						logger.debug("Entrance {} sent a message nobody asked for", Link.this.entrance);
						return Mono.empty();
					}
					return answer(outgoing, text).doFinally((signal) -> outgoing.answered().tryEmitEmpty());
				}).then();
				return Mono.firstWithSignal(input, output)
					.then(Mono.defer(() -> unanswered.isEmpty() ? Mono.<Void>empty()
							: Mono.error(new IllegalStateException("closed with a heartbeat unanswered"))))
					.doFinally((signal) -> unanswered
						.forEach((outgoing) -> EntranceClient.this.outbox.release(outgoing.batch())));
			}

		}

	}

}
