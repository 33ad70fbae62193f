package io.dandelion.publisher.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.publisher.config.PublisherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The entrances the publisher talks to: those configured ({@code ENTRANCE_URLS}) and
 * those learnt from SEARCH replies' {@code ENTRANCE_URLS}. It searches them all, and
 * reports boxes to them all. A URL is kept in its WebSocket form ({@code ws},
 * {@code wss}): the wire writes entrances as {@code http(s)://}, and one entrance is
 * asked once however it was written.
 * <p>
 * A learnt entrance is kept only while a chain of entrances naming each other leads to it
 * from a configured one (an entrance naming itself, or learnt ones naming each other, do
 * not count) and while it answers: it is forgotten once that chain breaks, or once its
 * SEARCHes failed {@code forget-after} rounds in a row; one forgotten for not answering
 * is not learnt again for {@link #QUARANTINE}. Configured entrances are never forgotten.
 */
@Component
class KnownEntrances {

	/** How long an entrance forgotten for not answering is not learnt again. */
	static final Duration QUARANTINE = Duration.ofMinutes(10);

	private static final Logger logger = LoggerFactory.getLogger(KnownEntrances.class);

	private final List<URI> configured;

	private final int forgetAfter;

	private final Clock clock;

	/** In the order learnt, with what keeps each; guarded by this object. */
	private final Map<URI, Learnt> learnt = new LinkedHashMap<>();

	/** Entrances forgotten for not answering, until when they are not learnt again. */
	private final Map<URI, Instant> quarantined = new HashMap<>();

	KnownEntrances(PublisherProperties properties, Clock clock) {
		this.configured = properties.entranceUrls()
			.stream()
			.map((url) -> webSocketForm(url).orElse(url))
			.distinct()
			.toList();
		this.forgetAfter = properties.pool().forgetAfter();
		this.clock = clock;
	}

	/**
	 * Every entrance known now, the configured ones first.
	 * @return their WebSocket URLs
	 */
	synchronized Set<URI> all() {
		Set<URI> all = new LinkedHashSet<>(this.configured);
		all.addAll(this.learnt.keySet());
		return all;
	}

	/**
	 * Takes the entrances a reply told of, and forgets those it named before and names no
	 * more (unless another entrance still names them).
	 * @param from the entrance that replied; it answered
	 * @param urls the URLs it told of
	 */
	synchronized void learn(URI from, List<String> urls) {
		Learnt replied = this.learnt.get(from);
		if (replied != null) {
			replied.failures = 0;
		}
		Set<URI> told = new LinkedHashSet<>();
		for (String url : urls) {
			Optional<URI> uri;
			try {
				uri = webSocketForm(URI.create(url));
			}
			catch (IllegalArgumentException ex) {
				uri = Optional.empty();
			}
			if (uri.isEmpty()) {
				logger.debug("Entrance {} told of an unusable URL {}", from, url);
			}
			else if (!uri.get().equals(from) && !this.configured.contains(uri.get())) {
				told.add(uri.get());
			}
		}
		Instant now = this.clock.instant();
		this.quarantined.values().removeIf((until) -> !until.isAfter(now));
		for (URI uri : told) {
			if (this.quarantined.containsKey(uri)) {
				continue;
			}
			Learnt entry = this.learnt.computeIfAbsent(uri, (key) -> {
				logger.info("Learnt entrance {} from {}", key, from);
				return new Learnt();
			});
			entry.namedBy.add(from);
		}
		this.learnt.forEach((uri, entry) -> {
			if (!told.contains(uri)) {
				entry.namedBy.remove(from);
			}
		});
		forgetUnnamed("no entrance that names it is named by a configured one any more (" + from
				+ " stopped naming it or what named it)");
	}

	/**
	 * Counts a failed SEARCH at an entrance: a learnt one is forgotten after
	 * {@code forget-after} in a row.
	 * @param entrance the entrance
	 */
	synchronized void failed(URI entrance) {
		Learnt entry = this.learnt.get(entrance);
		if (entry != null && ++entry.failures >= this.forgetAfter) {
			this.quarantined.put(entrance, this.clock.instant().plus(QUARANTINE));
			this.learnt.remove(entrance);
			logger.info("Forgot entrance {}: its last {} SEARCHes failed; it is not learnt again for {} minutes",
					entrance, entry.failures, QUARANTINE.toMinutes());
			this.learnt.values().forEach((other) -> other.namedBy.remove(entrance));
			forgetUnnamed("only " + entrance + ", forgotten, named it");
		}
	}

	/**
	 * Forgets the learnt entrances no chain of naming links to a configured entrance:
	 * learnt entrances naming each other do not keep each other.
	 */
	private void forgetUnnamed(String why) {
		Set<URI> reached = new LinkedHashSet<>(this.configured);
		Deque<URI> next = new ArrayDeque<>(this.configured);
		while (!next.isEmpty()) {
			URI namer = next.poll();
			this.learnt.forEach((uri, entry) -> {
				if (entry.namedBy.contains(namer) && reached.add(uri)) {
					next.add(uri);
				}
			});
		}
		this.learnt.keySet().removeIf((uri) -> {
			if (reached.contains(uri)) {
				return false;
			}
			logger.info("Forgot entrance {}: {}", uri, why);
			return true;
		});
		this.learnt.values().forEach((entry) -> entry.namedBy.retainAll(reached));
	}

	/**
	 * An entrance's URL with a WebSocket scheme.
	 * @param url the URL as configured or told
	 * @return the URL with {@code ws} or {@code wss}; empty when it has no host or
	 * another scheme
	 */
	static Optional<URI> webSocketForm(URI url) {
		if (url.getHost() == null || url.getScheme() == null) {
			return Optional.empty();
		}
		try {
			return Optional
				.of(new URI(WebSocketPaths.webSocketScheme(url.getScheme()) + ":" + url.getRawSchemeSpecificPart()
						+ ((url.getRawFragment() != null) ? "#" + url.getRawFragment() : "")));
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			// Unusable, as documented
			return Optional.empty();
		}
	}

	/**
	 * What keeps a learnt entrance: the entrances naming it, and its failures in a row.
	 */
	private static final class Learnt {

		private final Set<URI> namedBy = new LinkedHashSet<>();

		private int failures;

	}

}
