package io.dandelion.publisher.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.publisher.system.PublisherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The entrances the publisher talks to: those configured ({@code ENTRANCE_URLS}) and
 * those learnt from SEARCH replies' {@code ENTRANCE_URLS}. It searches them all, and
 * reports boxes to them all. A URL is kept in its WebSocket form ({@code ws},
 * {@code wss}): the wire writes entrances as {@code http(s)://}, and one entrance is
 * asked once however it was written.
 */
@Component
class KnownEntrances {

	private static final Logger logger = LoggerFactory.getLogger(KnownEntrances.class);

	private final List<URI> configured;

	/** In the order learnt; guarded by this object. */
	private final Set<URI> learnt = new LinkedHashSet<>();

	KnownEntrances(PublisherProperties properties) {
		this.configured = properties.entranceUrls()
			.stream()
			.map((url) -> webSocketForm(url).orElse(url))
			.distinct()
			.toList();
	}

	/**
	 * Every entrance known now, the configured ones first.
	 * @return their WebSocket URLs
	 */
	synchronized Set<URI> all() {
		Set<URI> all = new LinkedHashSet<>(this.configured);
		all.addAll(this.learnt);
		return all;
	}

	/**
	 * Takes the entrances a reply told of.
	 * @param from the entrance that replied
	 * @param urls the URLs it told of
	 */
	synchronized void learn(URI from, List<String> urls) {
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
			else if (!this.configured.contains(uri.get()) && this.learnt.add(uri.get())) {
				logger.info("Learnt entrance {} from {}", uri.get(), from);
			}
		}
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
			return Optional.empty();
		}
	}

}
