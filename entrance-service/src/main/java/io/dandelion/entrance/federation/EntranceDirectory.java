package io.dandelion.entrance.federation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.protocol.WebSocketPaths;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;

/**
 * The entrances this one knows: itself first, then the others in
 * {@code {ent}:ENTRANCE_URLS}. Others are checked periodically ({@code GET /dandelion/}
 * must answer {@code HI entrance-…}) and left out of replies while they have been
 * unreachable for longer than the configured time; they are added and removed at run time
 * through the REST API.
 */
@Component
public class EntranceDirectory {

	private static final Logger logger = LoggerFactory.getLogger(EntranceDirectory.class);

	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

	private static final int CHECK_CONCURRENCY = 8;

	private static final int DEFAULT_PORT = 7071;

	/**
	 * How long a cached result stands when it should stand for the life of the process.
	 */
	private static final Duration ONCE = Duration.ofDays(36_500);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	private final EntranceProperties properties;

	private final WebClient client;

	private final Clock clock;

	private final boolean servesTls;

	private final AtomicReference<OwnInfo> own;

	// Configured entrances are stored once per start (an entrance removed at run time
	// stays removed); every reply waits for that, so that none misses them at start.
	private final Mono<Void> othersSeeded;

	public EntranceDirectory(ReactiveStringRedisTemplate redis, RedisKeys keys, EntranceProperties properties,
			ServerProperties server, NodeId id, WebClient.Builder client, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.properties = properties;
		this.client = client.build();
		this.clock = clock;
		// Until the server reports the port it took (configured 0 means any free one).
		int port = (server.getPort() != null && server.getPort() > 0) ? server.getPort() : DEFAULT_PORT;
		this.servesTls = Ssl.isEnabled(server.getSsl());
		this.own = new AtomicReference<>(ownInfo(id.value(), properties, port, this.servesTls));
		// Done once (a failure, e.g. Redis down, is retried by the next caller)
		this.othersSeeded = Mono.defer(this::seedOthers).cache((done) -> ONCE, (ex) -> Duration.ZERO, () -> ONCE);
	}

	private static OwnInfo ownInfo(String id, EntranceProperties properties, int serverPort, boolean servesTls) {
		String ip = (properties.ip() != null && !properties.ip().isBlank()) ? properties.ip() : "127.0.0.1";
		boolean proxied = properties.serverProxyPort() != null;
		boolean secure = proxied || servesTls;
		int port = proxied ? properties.serverProxyPort() : serverPort;
		String host = ip.contains(":") ? "[" + ip + "]" : ip;
		// http/https rather than ws/wss:
		// the original's clients accept only URLs matching https?://
		String url = WebSocketPaths.wireScheme(secure) + "://" + host + ":" + port + WebSocketPaths.ENTRANCE_WS;
		return new OwnInfo(id, ip, port, url);
	}

	/**
	 * Adopts the port the server really listens on (it differs from the configured one
	 * when that is 0).
	 * @param event the server's start
	 */
	@EventListener
	public void onServerStarted(ReactiveWebServerInitializedEvent event) {
		if ("management".equals(event.getApplicationContext().getServerNamespace())) {
			return;
		}
		this.own.updateAndGet(
				(info) -> ownInfo(info.id(), this.properties, event.getWebServer().getPort(), this.servesTls));
	}

	/**
	 * How this entrance describes itself.
	 * @return the own info
	 */
	public OwnInfo ownInfo() {
		return this.own.get();
	}

	/**
	 * The entrance URLs to hand out: this one's first, then the reachable others.
	 * @return the URLs
	 */
	public Mono<List<String>> entranceUrls() {
		// A reply goes on without the configured others meanwhile; DEBUG only, since the
		// seeder job runs the same seeding every few seconds and warns of its failure
		return this.othersSeeded.onErrorResume((ex) -> {
			logger.debug("Answering without the configured other entrances, not seeded yet: {}", ex.toString());
			return Mono.empty();
		}).thenMany(list()).filter(EntranceStatus::reachable).map(EntranceStatus::url).collectList().map((others) -> {
			List<String> urls = new ArrayList<>(others.size() + 1);
			urls.add(ownInfo().url());
			urls.addAll(others);
			return urls;
		});
	}

	/**
	 * Every other entrance known, with its state.
	 * @return the others, sorted by URL
	 */
	public Flux<EntranceStatus> list() {
		Instant now = this.clock.instant();
		Duration unreachableAfter = this.properties.federation().unreachableAfter();
		return this.redis.opsForSet()
			.members(this.keys.entranceUrls())
			.sort()
			.flatMapSequential((url) -> this.redis.<String, String>opsForHash()
				.get(this.keys.entranceHealth(), url)
				.map(Long::parseLong)
				.defaultIfEmpty(now.toEpochMilli())
				.map((millis) -> {
					Instant last = Instant.ofEpochMilli(millis);
					return new EntranceStatus(url, last, !last.plus(unreachableAfter).isBefore(now));
				}));
	}

	/**
	 * Adds another entrance; it counts as reachable from now until the checks say
	 * otherwise.
	 * @param url its WebSocket URL
	 * @return true when it was not known before; fails with
	 * {@link IllegalArgumentException} when the URL is not an http(s)/ws(s) URL of an
	 * entrance WebSocket, or is this entrance's own
	 */
	public Mono<Boolean> add(String url) {
		// Checked inside the Mono so that callers' onErrorResume sees a refused URL.
		return Mono.fromCallable(() -> checkUrl(url))
			.flatMap((checked) -> this.redis.opsForSet()
				.add(this.keys.entranceUrls(), checked)
				.flatMap((added) -> this.redis.<String, String>opsForHash()
					.putIfAbsent(this.keys.entranceHealth(), checked, Long.toString(this.clock.millis()))
					.thenReturn(added > 0)));
	}

	/**
	 * Forgets another entrance.
	 * @param url its WebSocket URL
	 * @return true when it was known
	 */
	public Mono<Boolean> remove(String url) {
		return this.redis.opsForSet()
			.remove(this.keys.entranceUrls(), url)
			.flatMap((removed) -> this.redis.opsForHash()
				.remove(this.keys.entranceHealth(), url)
				.thenReturn(removed > 0));
	}

	/**
	 * Stores this entrance's own info and, the first time, the configured other
	 * entrances; run periodically.
	 * @return completion
	 */
	public Mono<Void> seed() {
		OwnInfo info = ownInfo();
		return this.redis.<String, String>opsForHash()
			.putAll(this.keys.ownInfo(),
					Map.of("ID", info.id(), "TYPE", "ENTRANCE", "IP", info.ip(), "PORT", Integer.toString(info.port())))
			.then(this.othersSeeded);
	}

	private Mono<Void> seedOthers() {
		return Flux.fromIterable(this.properties.otherUrls())
			.map(URI::toString)
			.filter((url) -> !url.equals(ownInfo().url()))
			.concatMap((url) -> add(url).onErrorResume(IllegalArgumentException.class, (ex) -> {
				logger.warn("Ignoring ENTRANCE_OTHER_URLS entry {}: {}", url, ex.getMessage());
				return Mono.just(false);
			}))
			.then();
	}

	/**
	 * Checks every other entrance once and records those that answered.
	 * @return completion
	 */
	public Mono<Void> checkOthers() {
		return this.redis.opsForSet()
			.members(this.keys.entranceUrls())
			.flatMap(
					(url) -> greets(url).filter(Boolean::booleanValue)
						.flatMap((ok) -> this.redis.<String, String>opsForHash()
							.put(this.keys.entranceHealth(), url, Long.toString(this.clock.millis()))),
					CHECK_CONCURRENCY)
			.then();
	}

	private Mono<Boolean> greets(String url) {
		URI index = greetingPage(url);
		return this.client.get()
			.uri(index)
			.retrieve()
			.bodyToMono(String.class)
			.timeout(CHECK_TIMEOUT)
			.map((body) -> body.startsWith("HI entrance-"))
			.onErrorResume((ex) -> {
				logger.debug("Entrance {} did not answer: {}", url, ex.toString());
				return Mono.just(false);
			});
	}

	/**
	 * The page that greets with {@code HI entrance-…} beside an entrance's WebSocket:
	 * {@code wss://h:p/dandelion/ws/} to {@code https://h:p/dandelion/}, and a WebSocket
	 * under another path ({@code …/dandelion/entrance-123/ws/}) to the directory above
	 * its {@code ws/}.
	 */
	static URI greetingPage(String url) {
		URI uri = URI.create(url);
		String http = WebSocketPaths.wireScheme(WebSocketPaths.webSocketScheme(uri.getScheme()).equals("wss"));
		String path = uri.getRawPath();
		String index = path.endsWith("/ws/") ? path.substring(0, path.length() - "ws/".length())
				: WebSocketPaths.ENTRANCE_INDEX;
		return URI.create(http + "://" + uri.getRawAuthority() + index);
	}

	/**
	 * Accepts what the original's nodes accept as an entrance URL (their
	 * {@code check_is_valid_url}: {@code http(s)://HOST[:PORT]/} and any path), with
	 * {@code ws(s)://}, host names and IPv6 literals besides.
	 */
	private String checkUrl(String url) {
		String expected = "an entrance URL looks like http://HOST:PORT" + WebSocketPaths.ENTRANCE_WS
				+ " (http, https, ws or wss, with any path)";
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new IllegalArgumentException("Not a URL: " + url + "; " + expected);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String path = uri.getRawPath();
		if (!List.of("http", "https", "ws", "wss").contains(scheme) || uri.getHost() == null || path == null
				|| path.length() < 2 || !path.startsWith("/") || uri.getRawFragment() != null) {
			throw new IllegalArgumentException("Not an entrance URL: " + url + "; " + expected);
		}
		// The scheme does not matter: ws://, wss:// and http:// to this host and port all
		// reach this entrance, which must never hand itself out as another.
		if (uri.getRawAuthority().equalsIgnoreCase(URI.create(ownInfo().url()).getRawAuthority())) {
			throw new IllegalArgumentException("That is this entrance's own URL: " + url);
		}
		return url;
	}

}
