package io.dandelion.agent.traffic;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.support.failure.FailureLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Hands pending traffic entries to heartbeats so that each entry reaches an entrance
 * once: one EXCHANGE at a time holds a lease on the oldest entries, they are removed only
 * when an entrance ACCEPTED that EXCHANGE, and sent again otherwise. A lease that is
 * never completed (a lost connection) lapses, so entries cannot get stuck.
 */
@Component
public class TrafficOutbox {

	private static final Logger logger = LoggerFactory.getLogger(TrafficOutbox.class);

	// A Redis outage fails every round: FailureLog says so once a minute, not at each
	private static final FailureLog failures = new FailureLog(logger);

	private final TrafficRepository repository;

	private final int batchSize;

	private final Duration leaseTime;

	private final AtomicLong leases = new AtomicLong();

	private final AtomicReference<Lease> lease = new AtomicReference<>();

	private final AgentMetrics metrics;

	TrafficOutbox(TrafficRepository repository, BoxProperties properties, AgentMetrics metrics) {
		this.repository = repository;
		this.metrics = metrics;
		this.batchSize = properties.traffic().batchSize();
		// Longer than any one EXCHANGE may take: a reply waits at most the reply timeout
		this.leaseTime = properties.heartbeat().replyTimeout().plus(properties.pingEntranceFreq()).multipliedBy(2);
	}

	/**
	 * Takes the oldest pending entries for one EXCHANGE, unless another EXCHANGE holds
	 * them.
	 * @return the batch, {@link TrafficBatch#NONE} when there is nothing to send or the
	 * entries are out with another EXCHANGE
	 */
	public Mono<TrafficBatch> claim() {
		long now = System.nanoTime();
		Lease current = this.lease.get();
		if (current != null && now - current.expiresAt() < 0) {
			return Mono.just(TrafficBatch.NONE);
		}
		Lease mine = new Lease(this.leases.incrementAndGet(), now + this.leaseTime.toNanos());
		if (!this.lease.compareAndSet(current, mine)) {
			return Mono.just(TrafficBatch.NONE);
		}
		return this.repository.pending(this.batchSize)
			.collectList()
			.flatMap((entries) -> countBacklog(entries.size()).thenReturn(entries))
			.map((entries) -> {
				if (entries.isEmpty()) {
					release(mine.id());
					return TrafficBatch.NONE;
				}
				return new TrafficBatch(entries, mine.id());
			})
			.onErrorResume((ex) -> {
				release(mine.id());
				failures.failed("Could not read pending traffic entries", "sending none this time", ex);
				return Mono.just(TrafficBatch.NONE);
			});
	}

	/**
	 * Records the backlog for the metrics: a batch that is not full is all of it, else it
	 * is counted (one {@code ZCARD}). Not counting it is no reason to send nothing.
	 */
	private Mono<Void> countBacklog(int claimed) {
		if (claimed < this.batchSize) {
			this.metrics.trafficPending(claimed);
			return Mono.empty();
		}
		return this.repository.pendingCount()
			.doOnNext(this.metrics::trafficPending)
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	/**
	 * Ends a batch: removes its entries when the entrance accepted them, and frees them
	 * for the next EXCHANGE.
	 * @param batch the batch
	 * @param accepted whether an entrance answered ACCEPTED to the EXCHANGE that carried
	 * it
	 * @return completion; a failure to remove leaves the entries to be sent again
	 */
	public Mono<Void> complete(TrafficBatch batch, boolean accepted) {
		if (batch.lease() == 0) {
			return Mono.empty();
		}
		if (!accepted) {
			release(batch);
			return Mono.empty();
		}
		return this.repository.remove(batch.entries().stream().map(TrafficEntry::logId).toList())
			.doOnSuccess((done) -> logger.debug("Entrance accepted {} traffic entries", batch.entries().size()))
			.doFinally((signal) -> release(batch));
	}

	/**
	 * Frees a batch's entries for the next EXCHANGE without removing them; does nothing
	 * when the batch is empty or already ended.
	 * @param batch the batch
	 */
	public void release(TrafficBatch batch) {
		release(batch.lease());
	}

	private void release(long id) {
		Lease current = this.lease.get();
		if (current != null && current.id() == id) {
			this.lease.compareAndSet(current, null);
		}
	}

	private record Lease(long id, long expiresAt) {

	}

}
