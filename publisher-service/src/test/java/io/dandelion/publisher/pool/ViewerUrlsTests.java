package io.dandelion.publisher.pool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The URLs of files on boxes that leave the publisher: signed as nginx's secure_link
 * checks them when the box's URL secret is known, plain otherwise.
 */
@ExtendWith(SeededCases.class)
class ViewerUrlsTests {

	private static final NodeId PUBLISHER = NodeId.parse("publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5");

	private static final String BOX = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	private static final String URL_SECRET = NodeCredential.random(NodeId.parse(BOX)).urlSecret();

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.250Z");

	private static final Duration TTL = Duration.ofSeconds(600);

	@Test
	void shouldSignAUrlThatTheBoxAcceptsForTheDecodedPath() {
		String url = urls(true).of(box(URL_SECRET), "/videos/intro.mp4", NOW);
		assertThat(url).startsWith("http://203.0.113.7:7072/" + PUBLISHER.value() + "/videos/intro.mp4?md5=");
		assertThat(isValid(url, "/" + PUBLISHER.value() + "/videos/intro.mp4", NOW)).isTrue();
	}

	@Test
	void shouldSignTheDecodedPathOfANameThatNeedsPercentEncoding() {
		String name = "/my videos/café 50%.ts";
		String url = urls(true).of(box(URL_SECRET), name, NOW);
		String decodedPath = "/" + PUBLISHER.value() + name;
		// The URL stays percent-encoded; the box checks the path as nginx's $uri has it
		assertThat(url).contains("/my%20videos/caf%C3%A9%2050%25.ts?md5=");
		assertThat(URI.create(url).getPath()).isEqualTo(decodedPath);
		assertThat(isValid(url, decodedPath, NOW)).isTrue();
		assertThat(isValid(url, "/" + PUBLISHER.value() + "/my%20videos/caf%C3%A9%2050%25.ts", NOW)).isFalse();
	}

	@Test
	void shouldNotBeValidForAnotherFileAnotherSecretOrOnceExpired() {
		String url = urls(true).of(box(URL_SECRET), "/videos/intro.mp4", NOW);
		String path = "/" + PUBLISHER.value() + "/videos/intro.mp4";
		assertThat(isValid(url, "/" + PUBLISHER.value() + "/videos/other.mp4", NOW)).isFalse();
		Map<String, String> query = query(url);
		assertThat(ViewerUrlSignature.isValid(path, query.get("md5"), query.get("expires"),
				NodeCredential.random(NodeId.parse(BOX)).urlSecret(), NOW))
			.isFalse();
		assertThat(isValid(url, path, NOW.plus(TTL).plusSeconds(1))).isFalse();
	}

	@Test
	void shouldLeaveTheUrlPlainWhenTheBoxsUrlSecretIsUnknown() {
		assertThat(urls(true).of(box(null), "/my videos/a.ts", NOW))
			.isEqualTo("http://203.0.113.7:7072/" + PUBLISHER.value() + "/my%20videos/a.ts");
	}

	@Test
	void shouldLeaveTheUrlPlainWhenSigningIsOff() {
		assertThat(urls(false).of(box(URL_SECRET), "/videos/a.ts", NOW))
			.isEqualTo("http://203.0.113.7:7072/" + PUBLISHER.value() + "/videos/a.ts");
	}

	@ParameterizedTest
	@MethodSource("signingTimes")
	void shouldExpireWithinTheTtlAndKeepTheUrlForHalfATtlAtATime(long storedAtMillis, long ageMillis, long ttlMillis) {
		Instant storedAt = Instant.ofEpochMilli(storedAtMillis);
		Instant now = storedAt.plusMillis(ageMillis);
		Duration ttl = Duration.ofMillis(ttlMillis);
		Instant expiresAt = ViewerUrls.expiry(storedAt, now, ttl);
		// At most a TTL away, and more than half of it (less the second rounding)
		assertThat(expiresAt).isBeforeOrEqualTo(now.plus(ttl)).isAfter(now.plus(ttl.dividedBy(2)).minusSeconds(1));
		// The same expiry, so the same URL, for the rest of its half-TTL window
		long step = ttlMillis / 2;
		long windowStart = storedAtMillis + Math.floorDiv(ageMillis, step) * step;
		assertThat(ViewerUrls.expiry(storedAt, Instant.ofEpochMilli(windowStart), ttl)).isEqualTo(expiresAt);
		assertThat(ViewerUrls.expiry(storedAt, Instant.ofEpochMilli(windowStart + step - 1), ttl)).isEqualTo(expiresAt);
	}

	static Stream<Arguments> signingTimes() {
		long now = NOW.toEpochMilli();
		// Edge cases: just stored, a window's last millisecond, the shortest TTL, a
		// clock behind the time the box stored the file
		List<Arguments> edges = List.of(arguments(now, 0L, 600_000L), arguments(now, 299_999L, 600_000L),
				arguments(now, 300_000L, 600_000L), arguments(now, 0L, 2_000L), arguments(now, -1L, 600_000L),
				arguments(now, -700_000L, 600_000L));
		return SeededCases.of(0x5197edL, 500, edges,
				(gen) -> arguments(now + gen.longBetween(-86_400_000L, 86_400_000L),
						gen.longBetween(-3_600_000L, 86_400_000L), gen.longBetween(2_000L, 86_400_000L)));
	}

	@Test
	void shouldKeepALiveSegmentsUrlForTheFirstHalfTtlAfterItWasStored() {
		Instant storedAt = NOW;
		String first = urls(true, Clock.fixed(storedAt, ZoneOffset.UTC)).of(box(URL_SECRET), "/live/demo/3.ts",
				storedAt);
		String later = urls(true, Clock.fixed(storedAt.plus(TTL.dividedBy(2)).minusMillis(1), ZoneOffset.UTC))
			.of(box(URL_SECRET), "/live/demo/3.ts", storedAt);
		String afterHalf = urls(true, Clock.fixed(storedAt.plus(TTL.dividedBy(2)), ZoneOffset.UTC)).of(box(URL_SECRET),
				"/live/demo/3.ts", storedAt);
		assertThat(later).isEqualTo(first);
		assertThat(afterHalf).isNotEqualTo(first);
	}

	private static boolean isValid(String url, String decodedPath, Instant now) {
		Map<String, String> query = query(url);
		return ViewerUrlSignature.isValid(decodedPath, query.get(ViewerUrlSignature.MD5_PARAMETER),
				query.get(ViewerUrlSignature.EXPIRES_PARAMETER), URL_SECRET, now);
	}

	private static Map<String, String> query(String url) {
		return UriComponentsBuilder.fromUriString(url).build().getQueryParams().toSingleValueMap();
	}

	private static ViewerUrls urls(boolean signing) {
		return urls(signing, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ViewerUrls urls(boolean signing, Clock clock) {
		PublisherProperties properties = new PublisherProperties(null, 20, Duration.ofSeconds(10), List.of(),
				Path.of("/tmp"), null, List.of(), null, List.of(), null, null, null, RedisKeyLayout.ORIGINAL,
				new PublisherProperties.Security(null, TTL, null), null);
		return new ViewerUrls(PUBLISHER, new SecurityProperties(SecurityMode.STRICT, null, signing), properties, clock);
	}

	private static BoxCandidate box(String urlSecret) {
		ExchangeRequest exchange = ExchangeRequest.of(BOX, "203.0.113.7", 7070,
				"http://203.0.113.7:7070/dandelion/" + BOX + "/ws/", BoxMetrics.NONE);
		if (urlSecret != null) {
			exchange = exchange.withExtra(Map.of(ViewerUrlSignature.SECRET_FIELD, urlSecret));
		}
		return BoxCandidate.of(exchange, Map.of());
	}

}
