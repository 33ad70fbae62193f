package io.dandelion.publisher.pool;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.publisher.metrics.PublisherMetrics;
import io.dandelion.publisher.metrics.PublisherMetrics.SearchOutcome;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.limits.WarningThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Keeps the pool: every {@code PUBLISHER_PING_ENTRANCE_FREQ} a SEARCH at every entrance
 * (configured and learnt from {@code ENTRANCE_URLS}), every maintenance period a pass
 * over the pool and the ranking written to Redis, and every box connection run until it
 * ends. The two passes are {@link BackgroundJob#every periodic jobs}: a pass still
 * running when its next tick comes skips that tick, and a failed pass is logged and the
 * next one runs on time.
 */
@Component
class PoolJob implements BackgroundJob {

	private static final Logger logger = LoggerFactory.getLogger(PoolJob.class);

	private final BoxPool pool;

	private final SearchClient searchClient;

	private final SearchRepository repository;

	private final PublisherProperties properties;

	private final KnownEntrances entrances;

	/** What went wrong at each entrance's last SEARCH, for logging each change once. */
	private final Map<URI, String> problems = new ConcurrentHashMap<>();

	private final WarningThrottle<String> writeWarnings = new WarningThrottle<>(Duration.ofMinutes(1));

	private final PublisherMetrics metrics;

	PoolJob(BoxPool pool, SearchClient searchClient, SearchRepository repository, PublisherProperties properties,
			KnownEntrances entrances, PublisherMetrics metrics) {
		this.metrics = metrics;
		this.pool = pool;
		this.searchClient = searchClient;
		this.repository = repository;
		this.properties = properties;
		this.entrances = entrances;
	}

	@Override
	public String name() {
		return "box pool (SEARCH every " + this.properties.pingEntranceFreq() + ")";
	}

	@Override
	public Flux<?> run() {
		Duration maintainPeriod = this.properties.pool().maintainPeriod();
		BackgroundJob search = BackgroundJob.every("SEARCH at the entrances", this.properties.pingEntranceFreq(),
				this::searchAll);
		BackgroundJob maintain = BackgroundJob.every("pool maintenance", maintainPeriod, maintainPeriod,
				this::maintain);
		Flux<?> connections = this.pool.connections().flatMap((life) -> life, Integer.MAX_VALUE);
		return Flux.merge(search.run(), maintain.run(), connections);
	}

	private Mono<Void> searchAll() {
		Set<URI> entrances = this.entrances.all();
		Duration expiry = this.properties.pingEntranceFreq().multipliedBy(this.properties.pool().forgetAfter());
		return Flux.fromIterable(entrances)
			.flatMap((entrance) -> this.searchClient.search(entrance).flatMap((listing) -> {
				this.metrics.search(SearchOutcome.ANSWERED);
				if (this.problems.remove(entrance) != null) {
					logger.info("SEARCH at {} works again", entrance);
				}
				this.pool.onListed(listing.boxes());
				this.entrances.learn(entrance, listing.entranceUrls());
				logger.debug("Entrance {} listed {} boxes", entrance, listing.boxes().size());
				// The SEARCH worked and the pool has its boxes: only the copy for the
				// original's tools is missing while Redis is unavailable
				return this.repository.saveListed(listing.boxes(), expiry)
					.onErrorResume((ex) -> cannotWrite("the boxes SEARCH listed", ex));
			}).onErrorResume((ex) -> {
				this.metrics
					.search((ex instanceof SearchRefusedException) ? SearchOutcome.REFUSED : SearchOutcome.FAILED);
				failed(entrance, ex);
				this.entrances.failed(entrance);
				return Mono.empty();
			}))
			// Only once every entrance answered or failed: a box one of them lists is not
			// counted as unlisted by the others
			.then(Mono.fromRunnable(this.pool::endSearchRound));
	}

	/**
	 * Logs a failed SEARCH once per entrance and kind of failure, not every period: a
	 * refusal for want of proof lasts until an operator acts. The pool keeps its boxes
	 * meanwhile (see {@link BoxPool#endSearchRound()}).
	 */
	private void failed(URI entrance, Throwable ex) {
		String kind = (ex instanceof SearchRefusedException refused) ? "refused " + refused.code()
				: ex.getClass().getName();
		if (kind.equals(this.problems.put(entrance, kind))) {
			logger.debug("SEARCH at {} failed again: {}", entrance, ex.toString());
		}
		else if (ex instanceof SearchRefusedException refused && refused.isForWantOfProof()) {
			// Until an operator acts, this publisher finds no boxes through that entrance
			logger.error("SEARCH at {} refused (logged once until it changes): {}", entrance, refused.getMessage());
		}
		else {
			logger.warn("SEARCH at {} failed (logged once until it changes): {}", entrance, ex.toString());
		}
	}

	private Mono<Void> maintain() {
		List<String> forgotten = this.pool.maintain();
		return this.repository.saveRanking(this.pool.ranking(), forgotten)
			.onErrorResume((ex) -> cannotWrite("the box ranking", ex));
	}

	/** Said once a minute: the pool is maintained twice a second. */
	private Mono<Void> cannotWrite(String what, Throwable ex) {
		if (this.writeWarnings.isDue(what)) {
			logger.warn("Cannot write {} to Redis (said once a minute): {}", what, ex.toString());
		}
		else {
			logger.debug("Cannot write {} to Redis: {}", what, ex.toString());
		}
		return Mono.empty();
	}

}
