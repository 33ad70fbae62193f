package io.dandelion.publisher.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.dandelion.protocol.AudienceShare;
import io.dandelion.protocol.redis.RedisKeyLayout;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the publisher, bound from {@code publisher.*} (the original's
 * {@code PUBLISHER_*} keys, see {@link PublisherConfigKeys}). Features take their nested
 * groups ({@code pool}, {@code publish}).
 *
 * @param ip IP the publisher reports in SEARCH and PUBLISH; empty or unset means detect
 * it
 * @param minHttpPeers number of boxes the publisher keeps a PUBLISH connection to (in
 * effect a maximum, as in the original)
 * @param pingEntranceFreq time between two SEARCH requests sent to each entrance
 * @param entranceUrls the entrances' WebSocket URLs to search for boxes; more are learnt
 * from their replies
 * @param baseDirectory directory holding the ID file {@code publisher-id.txt} and, in
 * {@code uploads/}, the files uploaded through the REST API
 * @param geoipDatabase MaxMind or DB-IP City database the publisher places viewers with;
 * unset means the bundled GeoLite2 City database
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} header
 * gives the viewer's address
 * @param originBaseUrl where viewers are redirected (plus the file's public name) when no
 * live box holds a file; unset means 503 (a live segment goes to the publisher's own
 * {@code /origin/} copy instead)
 * @param allowedRoots directories {@code POST /api/v1/files} and the queue may take local
 * files from, in order: a file's public name is its path below the first one holding it
 * @param pool how the publisher finds, ranks and keeps boxes
 * @param publish how files are sent to boxes
 * @param live how live HLS written by an encoder is published and served
 * @param redisKeyLayout how the publisher's ID starts its Redis keys
 * ({@code REDIS_KEY_LAYOUT}); {@code null} for the default: cluster on a Redis Cluster,
 * else original
 * @param security who may change the publisher's state, and how long the viewer URLs it
 * signs last
 * @param audience how the publisher follows where its viewers are
 */
@ConfigurationProperties("publisher")
@Validated
public record PublisherProperties(String ip, @DefaultValue("20") @Positive int minHttpPeers,
		@DefaultValue("10s") @NotNull Duration pingEntranceFreq, @DefaultValue List<URI> entranceUrls,
		@DefaultValue("/tmp") @NotNull Path baseDirectory, Path geoipDatabase,
		@DefaultValue List<String> trustedProxies, URI originBaseUrl, @DefaultValue("/tmp/hls") List<Path> allowedRoots,
		@DefaultValue @Valid Pool pool, @DefaultValue @Valid Publish publish, @DefaultValue @Valid LiveProperties live,
		RedisKeyLayout redisKeyLayout, @DefaultValue @Valid Security security, @DefaultValue @Valid Audience audience) {

	/**
	 * Where uploaded files are stored: {@code <base-directory>/uploads}, absolute.
	 * @return the uploads root
	 */
	public Path uploadsRoot() {
		return this.baseDirectory.resolve("uploads").toAbsolutePath().normalize();
	}

	/**
	 * The file of the publisher's Ed25519 key pair.
	 * @return {@code security.signing-key}, else {@code publisher-signing-key.pem} in the
	 * base directory
	 */
	public Path signingKeyFile() {
		return (this.security.signingKey() != null) ? this.security.signingKey()
				: this.baseDirectory.resolve("publisher-signing-key.pem");
	}

	/**
	 * How the publisher keeps its boxes ({@code publisher.pool.*}).
	 *
	 * @param boxTimeout silence (no pong, no reply) after which a box connection is dead
	 * ({@code PUBLISHER_BOX_TIMEOUT}); pings go out four times as often
	 * @param boxConcurrency most frames sent to one box and not yet acknowledged
	 * ({@code PUBLISHER_BOX_CONCURRENCY})
	 * @param reconnectMin first delay before reconnecting to a box that failed; doubled
	 * on each failure, with jitter
	 * @param reconnectMax longest delay before reconnecting to a box
	 * @param maintainPeriod time between two passes over the pool (ranking, connecting,
	 * replacing, forgetting)
	 * @param forgetAfter how many SEARCH rounds that an entrance answered without listing
	 * a box it is kept; rounds no entrance answered do not count
	 * @param excludeFor how long a box found serving other bytes than a file it was given
	 * is neither used nor connected to
	 * @param replaceMargin how much better (in rank, where the entrance's scores lie in
	 * [0, 1]) a box must be to replace a connected one: a connection is not given up for
	 * a small or passing change of the scores, as the audience moves
	 */
	public record Pool(@DefaultValue("2s") @NotNull Duration boxTimeout,
			@DefaultValue("4") @Positive int boxConcurrency, @DefaultValue("500ms") @NotNull Duration reconnectMin,
			@DefaultValue("30s") @NotNull Duration reconnectMax,
			@DefaultValue("500ms") @NotNull Duration maintainPeriod, @DefaultValue("3") @Positive int forgetAfter,
			@DefaultValue("1h") @NotNull Duration excludeFor,
			@DefaultValue("0.05") @PositiveOrZero double replaceMargin) {

	}

	/**
	 * How the publisher follows where its viewers are ({@code publisher.audience.*}), to
	 * name them in its SEARCHes ({@code AUDIENCE}) and to place each file's replicas near
	 * them.
	 *
	 * @param enabled whether viewer requests are counted; without, SEARCHes name no
	 * audience and the entrance ranks boxes by their distance to the publisher
	 * @param halfLife how fast old requests stop counting: a request weighs half as much
	 * after this long
	 * @param cellDegrees the size of the latitude/longitude cells viewers are counted in
	 * @param maxRegions most regions a SEARCH names
	 * @param minShare smallest share of the requests a region needs to be named
	 */
	public record Audience(@DefaultValue("true") boolean enabled,
			@DefaultValue("10m") @NotNull @DurationMin(seconds = 1) Duration halfLife,
			@DefaultValue("1.0") @DecimalMin("0.1") @DecimalMax("10") double cellDegrees,
			@DefaultValue("8") @Min(1) @Max(AudienceShare.MAX_REGIONS) int maxRegions,
			@DefaultValue("0.05") @DecimalMin("0") @DecimalMax("1") double minShare) {

	}

	/**
	 * How files are published ({@code publisher.publish.*}).
	 *
	 * @param replicas number of distinct boxes each file is stored on
	 * ({@code PUBLISH_REPLICAS})
	 * @param concurrency most files sent at the same time ({@code PUBLISHER_CONCURRENCY})
	 * @param maxWait how long a file may wait for enough boxes before it is marked failed
	 * ({@code PUBLISHER_MAX_WAIT})
	 * @param maxAttempts most sends of one file ({@code PUBLISHER_MAX_ATTEMPTS})
	 * @param maxFrameSize largest frame sent, tags and header included
	 * ({@code PUBLISHER_MAX_FRAME_SIZE})
	 * @param ackTimeout how long a box may take to acknowledge one frame
	 * @param failedRetention how long the state of a failed file is kept
	 * @param uploadRecoveryPeriod time between two looks, the first at start-up, for
	 * uploads whose state Redis lost (restarted without persistence, or flushed): each
	 * that has not expired is queued again
	 * @param queueSamplePeriod how often the queue's length is read for the metrics
	 * ({@code dandelion_publisher_queue_length})
	 */
	public record Publish(@DefaultValue("2") @Positive int replicas, @DefaultValue("8") @Positive int concurrency,
			@DefaultValue("30s") @NotNull Duration maxWait, @DefaultValue("10") @Positive int maxAttempts,
			@DefaultValue("64MB") @NotNull DataSize maxFrameSize, @DefaultValue("15s") @NotNull Duration ackTimeout,
			@DefaultValue("1h") @NotNull Duration failedRetention,
			@DefaultValue("10m") @NotNull @DurationMin(seconds = 1) Duration uploadRecoveryPeriod,
			@DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration queueSamplePeriod) {

	}

	/**
	 * The publisher's side of trust ({@code publisher.security.*}); the settings every
	 * node shares ({@code SECURITY_MODE}, {@code CREDENTIAL}, {@code SIGNED_VIEWER_URLS})
	 * are {@code dandelion.security.*}.
	 *
	 * @param apiToken bearer token that the REST calls changing state need
	 * ({@code PUBLISHER_API_TOKEN}); unset refuses them in strict mode
	 * @param viewerUrlTtl how long a signed viewer URL stays valid at most
	 * ({@code VIEWER_URL_TTL}); it is valid for more than half of that
	 * @param signingKey PEM file of the Ed25519 key pair that signs the segment manifests
	 * ({@code PUBLISHER_SIGNING_KEY}), created when missing; empty means
	 * {@code publisher-signing-key.pem} in the base directory
	 */
	public record Security(String apiToken,
			@DefaultValue("600s") @NotNull @DurationMin(seconds = 2) Duration viewerUrlTtl, Path signingKey) {

		@Override
		public String toString() {
			// Never the token: properties end up in log lines and failure reports
			return "Security[apiToken=" + ((this.apiToken == null || this.apiToken.isBlank()) ? "none" : "***")
					+ ", viewerUrlTtl=" + this.viewerUrlTtl + ", signingKey=" + this.signingKey + "]";
		}

	}

}
