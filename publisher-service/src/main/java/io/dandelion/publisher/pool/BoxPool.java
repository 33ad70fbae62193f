package io.dandelion.publisher.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.PublishRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.publisher.audience.ViewerAudience;
import io.dandelion.publisher.config.PublisherProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.client.WebSocketClient;

/**
 * The publisher's boxes: every box the entrances listed recently, ranked, and a PUBLISH
 * connection to the best {@code MIN_HTTP_PEERS} of them. A box whose connection died is
 * not chosen nor redirected to until a new connection is accepted; it is retried with
 * exponential backoff and jitter while better boxes take its place. A box the entrances
 * stopped listing is forgotten: after {@code publisher.pool.forget-after} SEARCH rounds
 * that an entrance answered without listing it. A round no entrance answered (timeouts,
 * error replies, replies too large to read, entrances down) tells nothing about the boxes
 * and changes nothing, so boxes keep being used while the entrances fail. Lost boxes are
 * announced on {@link #lostBoxes()} so that their files are re-published. A box found
 * serving other bytes than a file it was given is excluded ({@link #exclude}): closed,
 * neither chosen nor redirected to nor connected to again for
 * {@code publisher.pool.exclude-for}, even if the entrances keep listing it. Thread-safe
 * (the state is guarded by this object). Its figures are read when scraped
 * ({@link #bindTo}).
 */
@Component
public class BoxPool implements MeterBinder {

	private static final Logger logger = LoggerFactory.getLogger(BoxPool.class);

	private final Map<String, KnownBox> boxes = new HashMap<>();

	/**
	 * Excluded boxes and until when, apart from {@link #boxes} so that an exclusion
	 * outlives a box the entrances stop listing for a while.
	 */
	private final Map<String, Instant> excluded = new HashMap<>();

	private final Sinks.Many<Exclusion> exclusions = Sinks.many().multicast().onBackpressureBuffer(256, false);

	private final Sinks.Many<Mono<Void>> connections = Sinks.many().unicast().onBackpressureBuffer();

	private final Sinks.Many<String> lost = Sinks.many().multicast().onBackpressureBuffer(4096, false);

	private final PublisherProperties properties;

	private final PublishRequest publish;

	private final WebSocketClient client;

	private final MessageCodec codec;

	private final Clock clock;

	private final CopyVerifier verifier;

	/** Whether an entrance answered in the current SEARCH round. */
	private boolean roundAnswered;

	private final AtomicLong lostCount = new AtomicLong();

	private final AtomicLong excludedCount = new AtomicLong();

	private final ViewerAudience audience;

	private final ReplicaPlacement<KnownBox> placement = new ReplicaPlacement<>((known) -> known.candidate.network(),
			(known) -> known.candidate.location());

	BoxPool(PublisherProperties properties, NodeId nodeId, PublisherAddress address, WebSocketClient client,
			MessageCodec codec, Clock clock, CopyVerifier verifier, ViewerAudience audience) {
		this.audience = audience;
		this.properties = properties;
		this.publish = new PublishRequest(nodeId.value(), address.ip(), null);
		this.client = client;
		this.codec = codec;
		this.clock = clock;
		this.verifier = verifier;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("dandelion.publisher.boxes.known", this, BoxPool::knownCount)
			.description("Boxes the entrances listed lately, whatever their connection")
			.register(registry);
		Gauge.builder("dandelion.publisher.boxes.live", this, BoxPool::liveCount)
			.description(
					"Known boxes that may be chosen and redirected to: not lost since last accepted, " + "not excluded")
			.register(registry);
		Gauge.builder("dandelion.publisher.boxes.ready", this, BoxPool::readyCount)
			.description("Boxes with a PUBLISH connection ready to take files (MIN_HTTP_PEERS are wanted)")
			.register(registry);
		FunctionCounter.builder("dandelion.publisher.boxes.lost", this.lostCount, AtomicLong::get)
			.description("Boxes lost: connection died, no longer listed by the entrances, or excluded; their live "
					+ "files are re-published")
			.register(registry);
		FunctionCounter.builder("dandelion.publisher.boxes.excluded", this.excludedCount, AtomicLong::get)
			.description("Boxes excluded for serving other bytes than they were given")
			.register(registry);
	}

	private synchronized double knownCount() {
		return this.boxes.size();
	}

	private synchronized double liveCount() {
		return this.boxes.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().dead && !this.excluded.containsKey(entry.getKey()))
			.count();
	}

	private synchronized double readyCount() {
		return this.boxes.values()
			.stream()
			.filter((known) -> !known.dead && known.connection != null && !known.closing
					&& known.connection.state() == BoxConnection.State.READY)
			.count();
	}

	/**
	 * Connection lives to run; the pool's background job runs each until it ends.
	 * @return every connection started
	 */
	Flux<Mono<Void>> connections() {
		return this.connections.asFlux();
	}

	/**
	 * IDs of boxes that were lost (connection died, or forgotten by the entrances), as
	 * they are lost.
	 * @return the lost boxes
	 */
	public Flux<String> lostBoxes() {
		return this.lost.asFlux();
	}

	/**
	 * Boxes excluded for serving other bytes than they were given, as they are excluded.
	 * @return the exclusions
	 */
	public Flux<Exclusion> exclusions() {
		return this.exclusions.asFlux();
	}

	/**
	 * Takes the boxes a SEARCH reply listed: the entrance answered this round.
	 * @param listed the candidates, best first
	 */
	synchronized void onListed(Collection<BoxCandidate> listed) {
		Instant now = this.clock.instant();
		this.roundAnswered = true;
		for (BoxCandidate candidate : listed) {
			KnownBox known = this.boxes.computeIfAbsent(candidate.id(), (id) -> new KnownBox());
			if (known.candidate != null && !known.candidate.connectWs().equals(candidate.connectWs())
					&& known.connection != null) {
				// The box moved (new address): reconnect to the new URL; the box is not
				// lost, its copies stay where they are
				known.closing = true;
				known.connection.close("box moved to " + candidate.connectWs());
			}
			known.candidate = candidate.orTrustOf(known.candidate);
			known.lastListed = now;
			known.listedThisRound = true;
			known.unlistedRounds = 0;
			known.awaitingTicket = false;
		}
	}

	/**
	 * Ends a SEARCH round, once every entrance answered or failed: if one answered, each
	 * box none listed is a round closer to being forgotten; if none did, nothing changes.
	 */
	synchronized void endSearchRound() {
		if (this.roundAnswered) {
			for (KnownBox known : this.boxes.values()) {
				if (!known.listedThisRound) {
					known.unlistedRounds++;
				}
				known.listedThisRound = false;
			}
		}
		this.roundAnswered = false;
	}

	/**
	 * One pass over the pool: forget boxes the entrances no longer list, then connect to
	 * the best boxes and close connections beyond {@code MIN_HTTP_PEERS}.
	 * @return the boxes forgotten in this pass
	 */
	synchronized List<String> maintain() {
		Instant now = this.clock.instant();
		this.excluded.values().removeIf((until) -> !until.isAfter(now));
		int forgetAfter = this.properties.pool().forgetAfter();
		List<String> forgotten = new ArrayList<>();
		this.boxes.entrySet().removeIf((entry) -> {
			KnownBox known = entry.getValue();
			if (known.unlistedRounds >= forgetAfter) {
				if (known.connection != null) {
					known.connection.close("no longer listed by the entrances");
				}
				forgotten.add(entry.getKey());
				return true;
			}
			return false;
		});
		forgotten.forEach((id) -> {
			logger.info("Forgot box {}: the entrances answered {} SEARCH rounds without listing it", id, forgetAfter);
			this.lostCount.incrementAndGet();
			this.lost.tryEmitNext(id);
		});
		List<KnownBox> ranked = new ArrayList<>(this.boxes.values());
		// A connected box keeps its place unless another beats it by the margin: scores
		// move with every heartbeat and with the audience, connections should not
		double margin = this.properties.pool().replaceMargin();
		ranked.sort(Comparator
			.comparingDouble(
					(KnownBox known) -> known.rank() + ((known.connection != null && !known.closing) ? margin : 0))
			.reversed());
		int wanted = this.properties.minHttpPeers();
		Set<KnownBox> targets = new LinkedHashSet<>();
		for (KnownBox known : ranked) {
			if (targets.size() >= wanted) {
				break;
			}
			if (this.excluded.containsKey(known.candidate.id())) {
				continue;
			}
			if (known.connection != null || (!known.retryAt.isAfter(now) && !known.awaitingTicket)) {
				targets.add(known);
			}
		}
		for (KnownBox known : targets) {
			if (known.connection == null) {
				connect(known);
			}
		}
		long open = ranked.stream().filter((known) -> known.connection != null).count();
		for (int i = ranked.size() - 1; i >= 0 && open > wanted; i--) {
			KnownBox known = ranked.get(i);
			if (known.connection != null && !targets.contains(known) && !known.closing) {
				known.closing = true;
				known.connection.close("replaced by a better box");
				open--;
			}
		}
		return forgotten;
	}

	private void connect(KnownBox known) {
		BoxCandidate box = known.candidate;
		// The freshest ticket the entrances gave for this box, or none (as the original)
		PublishRequest publish = new PublishRequest(this.publish.id(), this.publish.ip(), this.publish.port(),
				box.publishTicket());
		BoxConnection connection = new BoxConnection(box, publish, this.client, this.codec,
				this.properties.pool().boxTimeout(), this.verifier, known.acknowledges);
		known.connection = connection;
		known.closing = false;
		logger.debug("Connecting to box {} at {} ({})", box.id(), box.connectWs(),
				(box.publishTicket() != null) ? "with a publish ticket" : "without a publish ticket");
		Mono<Void> life = connection.run()
			.doFinally((signal) -> ended(box.id(), connection, signal == SignalType.CANCEL));
		// A connection that ends before it was accepted is logged once, by the connection
		// itself (and its life ends in ended())
		Mono<Void> accepted = connection.ready()
			.doOnSuccess((ignored) -> accepted(box.id(), connection))
			.onErrorComplete();
		this.connections.tryEmitNext(Mono.when(life, accepted));
	}

	private synchronized void accepted(String boxId, BoxConnection connection) {
		KnownBox known = this.boxes.get(boxId);
		// An excluded box stays dead even if its last connection was accepted meanwhile
		if (known != null && known.connection == connection && !this.excluded.containsKey(boxId)) {
			known.dead = false;
			known.attempts = 0;
			known.acknowledges = connection.acknowledges();
		}
	}

	private void ended(String boxId, BoxConnection connection, boolean cancelled) {
		boolean wasLost;
		synchronized (this) {
			KnownBox known = this.boxes.get(boxId);
			if (known == null || known.connection != connection) {
				return;
			}
			known.connection = null;
			if (known.closing || cancelled) {
				// We closed it to make room, or the publisher stops: the box is fine
				known.closing = false;
				return;
			}
			wasLost = !known.dead;
			known.dead = true;
			// The box may come back upgraded: ask for acks again
			known.acknowledges = true;
			known.failures++;
			known.consecutiveFailures++;
			known.attempts++;
			known.retryAt = this.clock.instant().plus(backoff(known.attempts));
			// A refused ticket would be refused again: wait for the next SEARCH's
			known.awaitingTicket = connection.ticketRefused();
		}
		if (wasLost) {
			logger.warn("Box {} is lost ({}); it is no longer chosen", boxId, connection.closeReason());
			this.lostCount.incrementAndGet();
			this.lost.tryEmitNext(boxId);
		}
	}

	private Duration backoff(int attempts) {
		long min = this.properties.pool().reconnectMin().toMillis();
		long max = this.properties.pool().reconnectMax().toMillis();
		long exponential = min << Math.min(20, Math.max(0, attempts - 1));
		long capped = Math.min(max, exponential);
		// Full jitter on the upper half: many publishers do not retry in step
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	/**
	 * Chooses boxes for a file: ready connections with room, near the regions of
	 * {@link ViewerAudience#regions()} first, on networks not yet holding the file when
	 * possible ({@link ReplicaPlacement}).
	 * @param count how many boxes are wanted
	 * @param exclude boxes that already hold the file or failed it
	 * @param holders boxes that hold the file
	 * @return up to {@code count} connections on distinct boxes
	 */
	synchronized List<BoxConnection> choose(int count, Set<String> exclude, Set<String> holders) {
		int cap = this.properties.pool().boxConcurrency();
		List<KnownBox> ready = this.boxes.values()
			.stream()
			.filter((known) -> !known.dead && known.connection != null && !known.closing
					&& known.connection.state() == BoxConnection.State.READY && known.connection.inFlight() < cap
					&& !exclude.contains(known.candidate.id()) && !this.excluded.containsKey(known.candidate.id()))
			.sorted(Comparator.comparingDouble(KnownBox::rank).reversed())
			.toList();
		List<KnownBox> holding = holders.stream().map(this.boxes::get).filter(Objects::nonNull).toList();
		return this.placement.choose(ready, count, holding, this.audience.regions())
			.stream()
			.map((known) -> known.connection)
			.toList();
	}

	/**
	 * Whether a box not yet chosen for a file may take it soon: one connecting, or ready
	 * but sending as many frames as it may at once. Dead and excluded boxes may not.
	 * @param exclude boxes that already hold the file or failed it
	 * @return {@code true} when waiting for one is worth it
	 */
	synchronized boolean mayTakeSoon(Set<String> exclude) {
		return this.boxes.values()
			.stream()
			.anyMatch((known) -> !known.dead && known.connection != null && !known.closing
					&& (known.connection.state() == BoxConnection.State.CONNECTING
							|| known.connection.state() == BoxConnection.State.READY)
					&& !exclude.contains(known.candidate.id()) && !this.excluded.containsKey(known.candidate.id()));
	}

	synchronized BoxConnection connection(String boxId) {
		KnownBox known = this.boxes.get(boxId);
		return (known != null) ? known.connection : null;
	}

	/**
	 * Whether a box may be chosen and redirected to: listed recently, its connection has
	 * not died since it was last accepted, and it is not excluded.
	 * @param boxId the box
	 * @return true when live
	 */
	public synchronized boolean isLive(String boxId) {
		KnownBox known = this.boxes.get(boxId);
		return known != null && !known.dead && !this.excluded.containsKey(boxId);
	}

	/**
	 * The known box whose file server is at an address: where a viewer says bytes came
	 * from.
	 * @param ip the address, as the box's {@code IP}
	 * @param dataPort the port, as its {@code DATA_PORT}
	 * @return the box, if one of the pool serves files there
	 */
	public synchronized Optional<BoxCandidate> boxServing(String ip, int dataPort) {
		return this.boxes.values()
			.stream()
			.map((known) -> known.candidate)
			.filter((box) -> box.ip().equalsIgnoreCase(ip) && box.dataPort() == dataPort)
			.findFirst();
	}

	/**
	 * Until when a box is excluded.
	 * @param boxId the box
	 * @return the end of its exclusion, empty when it is not excluded
	 */
	public synchronized Optional<Instant> excludedUntil(String boxId) {
		return Optional.ofNullable(this.excluded.get(boxId));
	}

	/**
	 * Stops using a box that served other bytes than a file it was given: it is closed,
	 * no longer chosen nor redirected to, not connected to again for
	 * {@code publisher.pool.exclude-for}, and announced as lost (its files are forgotten
	 * and re-published elsewhere) and as excluded.
	 * @param boxId the box
	 * @param filePath the file it served wrongly
	 * @param why what it served, for the log
	 * @return {@code true} when it was excluded now, {@code false} when it already was
	 */
	public boolean exclude(String boxId, String filePath, String why) {
		Instant until = this.clock.instant().plus(this.properties.pool().excludeFor());
		boolean wasLive;
		synchronized (this) {
			if (this.excluded.containsKey(boxId)) {
				return false;
			}
			this.excluded.put(boxId, until);
			KnownBox known = this.boxes.get(boxId);
			wasLive = known != null && !known.dead;
			if (known != null) {
				known.dead = true;
				if (known.connection != null) {
					known.connection.close("excluded: it served other bytes than it was given");
				}
			}
		}
		logger.warn("Excluded box {} until {}: it served {} {}; its copies are forgotten and re-published elsewhere",
				boxId, until, filePath, why);
		this.excludedCount.incrementAndGet();
		if (wasLive) {
			this.lostCount.incrementAndGet();
			this.lost.tryEmitNext(boxId);
		}
		if (this.exclusions.tryEmitNext(new Exclusion(boxId, filePath, why)).isFailure()) {
			logger.warn("Box {} is excluded, but too many exclusions wait to be reported: the entrances are not told",
					boxId);
		}
		return true;
	}

	/**
	 * The box as the entrances last described it.
	 * @param boxId the box
	 * @return the candidate, if the box is known
	 */
	public synchronized Optional<BoxCandidate> candidate(String boxId) {
		KnownBox known = this.boxes.get(boxId);
		return (known != null) ? Optional.of(known.candidate) : Optional.empty();
	}

	/**
	 * Frames in flight to a box, for choosing the least loaded one.
	 * @param boxId the box
	 * @return the count, 0 when not connected
	 */
	public synchronized int inFlight(String boxId) {
		KnownBox known = this.boxes.get(boxId);
		return (known != null && known.connection != null) ? known.connection.inFlight() : 0;
	}

	synchronized void recordAck(String boxId, Duration latency) {
		KnownBox known = this.boxes.get(boxId);
		if (known != null) {
			known.acked++;
			known.consecutiveFailures = 0;
			known.lastAckLatency = latency;
		}
	}

	synchronized void recordFailure(String boxId) {
		KnownBox known = this.boxes.get(boxId);
		if (known != null) {
			known.failures++;
			known.consecutiveFailures++;
		}
	}

	/**
	 * Every known box with the publisher's score.
	 * @return box ID to score
	 */
	synchronized Map<String, Double> ranking() {
		Map<String, Double> ranking = new HashMap<>();
		this.boxes.forEach((id, known) -> ranking.put(id, known.rank()));
		return ranking;
	}

	/**
	 * What the pool knows, best first.
	 * @return the boxes
	 */
	public synchronized List<BoxStatus> snapshot() {
		return this.boxes.values()
			.stream()
			.sorted(Comparator.comparingDouble(KnownBox::rank).reversed())
			.map((known) -> known.status(this.excluded.get(known.candidate.id())))
			.toList();
	}

	/**
	 * One box: its description, its connection and what the publisher saw of it.
	 */
	private static final class KnownBox {

		BoxCandidate candidate;

		Instant lastListed;

		/** Whether an entrance listed the box in the current SEARCH round. */
		boolean listedThisRound;

		/**
		 * SEARCH rounds that an entrance answered without listing the box, since it was
		 * last listed.
		 */
		int unlistedRounds;

		BoxConnection connection;

		boolean closing;

		boolean dead;

		/**
		 * Whether the box took {@code dandelion.v2} when last accepted; a box that did
		 * not is asked without it next time.
		 */
		boolean acknowledges = true;

		int attempts;

		Instant retryAt = Instant.MIN;

		/**
		 * Whether the box refused the ticket of its last listing: it is not connected to
		 * again before the entrances list it again.
		 */
		boolean awaitingTicket;

		long acked;

		long failures;

		int consecutiveFailures;

		Duration lastAckLatency;

		/**
		 * The entrance's score, less 0.1 per recent failure (at most 0.5) and up to 0.2
		 * for a slow last acknowledgement (0.04 per second); a dead box sinks below all
		 * others.
		 */
		double rank() {
			double rank = this.candidate.entranceScore();
			rank -= Math.min(0.5, 0.1 * this.consecutiveFailures);
			if (this.lastAckLatency != null) {
				rank -= Math.min(0.2, this.lastAckLatency.toMillis() / 5000.0 * 0.2);
			}
			return this.dead ? rank - 1 : rank;
		}

		BoxStatus status(Instant excludedUntil) {
			String state = (this.connection != null) ? this.connection.state().name() : "NONE";
			String city = (this.candidate.location() != null) ? this.candidate.location().city() : null;
			return new BoxStatus(this.candidate.id(), this.candidate.ip(), this.candidate.connectWs().toString(),
					this.candidate.dataPort(), city, this.candidate.entranceScore(),
					this.candidate.exchange().get("RANK_REASONS"), Math.round(rank() * 1e4) / 1e4, state,
					!this.dead && excludedUntil == null, this.acked, this.failures,
					(this.lastAckLatency != null) ? this.lastAckLatency.toMillis() : null, this.lastListed,
					this.candidate.publishTicket() != null, this.candidate.urlSecret() != null, excludedUntil);
		}

	}

	/**
	 * A box excluded for serving other bytes than a file it was given.
	 *
	 * @param boxId the box
	 * @param filePath the file's public name
	 * @param why what it served instead
	 */
	public record Exclusion(String boxId, String filePath, String why) {

	}

}
