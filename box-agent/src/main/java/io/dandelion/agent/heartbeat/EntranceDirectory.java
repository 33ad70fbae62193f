package io.dandelion.agent.heartbeat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.support.limits.WarningThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The entrances the box heartbeats to: the configured ones ({@code ENTRANCE_URLS}), which
 * are kept for good, and those learnt from replies' {@code ENTRANCE_URLS}, which are
 * forgotten once they stayed unreachable for {@code box.heartbeat.forget-learnt-after}
 * (the original kept every entrance it ever heard of). Logs when an entrance becomes
 * reachable or unreachable, not at every heartbeat.
 */
@Component
class EntranceDirectory {

	private static final Logger logger = LoggerFactory.getLogger(EntranceDirectory.class);

	private static final WarningThrottle<String> badUrlWarnings = new WarningThrottle<>(Duration.ofHours(1));

	private final Duration forgetAfter;

	private final Clock clock;

	// Guarded by this
	private final Map<EntranceUrl, KnownEntrance> entrances = new LinkedHashMap<>();

	private final Map<EntranceUrl, Instant> forgotten = new HashMap<>();

	private Sinks.Many<KnownEntrance> additions;

	@Autowired
	EntranceDirectory(BoxProperties properties) {
		this(properties.entranceUrls(), properties.heartbeat().forgetLearntAfter(), Clock.systemUTC());
	}

	EntranceDirectory(List<URI> configured, Duration forgetAfter,
			Clock clock) /* for testing */ {
		this.forgetAfter = forgetAfter;
		this.clock = clock;
		Instant now = clock.instant();
		for (URI uri : configured) {
			try {
				EntranceUrl url = EntranceUrl.parse(uri.toString());
				this.entrances.putIfAbsent(url, new KnownEntrance(url, true, now));
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Ignored the configured entrance {}: {}", uri, ex.getMessage());
			}
		}
	}

	/**
	 * The known entrances now and every one added later, for the one heartbeat loop.
	 * @return the entrances, each once
	 */
	synchronized Flux<KnownEntrance> additions() {
		Sinks.Many<KnownEntrance> sink = Sinks.many().unicast().onBackpressureBuffer();
		this.entrances.values().forEach(sink::tryEmitNext);
		this.additions = sink;
		return sink.asFlux();
	}

	/**
	 * A copy of the known entrances.
	 * @return the entrances, configured first
	 */
	synchronized List<KnownEntrance> entrances() {
		return new ArrayList<>(this.entrances.values());
	}

	/**
	 * Adds the entrances an entrance told about.
	 * @param urls the {@code ENTRANCE_URLS} of a reply
	 */
	synchronized void learn(List<String> urls) {
		Instant now = this.clock.instant();
		this.forgotten.values().removeIf((until) -> !until.isAfter(now));
		for (String text : urls) {
			EntranceUrl url;
			try {
				url = EntranceUrl.parse(text);
			}
			catch (IllegalArgumentException ex) {
				// Each reply of the entrance that lists it lists it again
				if (badUrlWarnings.isDue(text)) {
					logger.warn("Ignored an entrance URL from a reply (said once an hour): {}",
							UntrustedText.quote(ex.getMessage(), 200));
				}
				else {
					logger.debug("Ignored an entrance URL from a reply: {}", UntrustedText.quote(ex.getMessage(), 200));
				}
				continue;
			}
			if (this.entrances.containsKey(url) || this.forgotten.containsKey(url)) {
				continue;
			}
			KnownEntrance entrance = new KnownEntrance(url, false, now);
			this.entrances.put(url, entrance);
			logger.info("Learnt of entrance {}", url);
			if (this.additions != null) {
				this.additions.tryEmitNext(entrance);
			}
		}
	}

	/**
	 * Records that an entrance answered.
	 * @param entrance the entrance
	 * @param entranceId the ID it answered with
	 */
	synchronized void answered(KnownEntrance entrance, String entranceId) {
		if (entrance.answered(entranceId)) {
			logger.info("Entrance {} ({}) is reachable", entrance, entranceId);
		}
		if (!entrance.configured() && entranceId != null) {
			// An entrance lists itself under its public URL, which may be another name
			// for one already known: heartbeat each entrance once. (An original entrance
			// that has not written its OWN_INFO yet answers without an ID.)
			for (KnownEntrance other : this.entrances.values()) {
				if (other != entrance && entranceId.equals(other.entranceId())) {
					logger.info("Entrance {} is {} again ({}); forgetting the second URL", entrance, other, entranceId);
					forget(entrance, Instant.MAX);
					return;
				}
			}
		}
	}

	/**
	 * The URL that carries the heartbeats for an entrance reached at several: replicas of
	 * one entrance (processes sharing its ID and Redis) each take them, so one URL at a
	 * time is enough, and two would race each other's {@code AUTH_TIME}. The first
	 * reachable URL of the ID, in the order known (configured first), carries them; a
	 * later one waits as its standby and takes over once it fails.
	 * @param entrance a known entrance
	 * @return the reachable URL of the same entrance ID before it; empty when it carries
	 * its own heartbeats (also while its ID is not known yet)
	 */
	synchronized Optional<KnownEntrance> standingInFor(KnownEntrance entrance) {
		String id = entrance.entranceId();
		if (id == null) {
			return Optional.empty();
		}
		for (KnownEntrance other : this.entrances.values()) {
			if (other == entrance) {
				return Optional.empty();
			}
			if (id.equals(other.entranceId()) && other.reachable()) {
				return Optional.of(other);
			}
		}
		return Optional.empty();
	}

	/**
	 * Records that a heartbeat to an entrance failed.
	 * @param entrance the entrance
	 * @param reason what went wrong
	 */
	synchronized void failed(KnownEntrance entrance, Throwable reason) {
		if (entrance.failed(this.clock.instant())) {
			logger.info("Entrance {} is unreachable: {}", entrance, describe(reason));
		}
	}

	/**
	 * Forgets learnt entrances that stayed unreachable for too long.
	 */
	synchronized void forgetUnreachable() {
		Instant limit = this.clock.instant().minus(this.forgetAfter);
		for (KnownEntrance entrance : new ArrayList<>(this.entrances.values())) {
			Instant since = entrance.unreachableSince();
			if (!entrance.configured() && since != null && since.isBefore(limit)) {
				logger.info("Forgetting entrance {}: unreachable since {}", entrance, since);
				forget(entrance, this.clock.instant().plus(this.forgetAfter));
			}
		}
	}

	/** Forgets an entrance, and does not learn it again before the given time. */
	private void forget(KnownEntrance entrance, Instant until) {
		this.entrances.remove(entrance.url());
		// Other entrances may keep listing it: an unreachable one is tried again after a
		// while, a second URL of a known entrance never
		this.forgotten.put(entrance.url(), until);
		entrance.remove();
	}

	static String describe(Throwable reason) {
		String message = reason.getMessage();
		return reason.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
