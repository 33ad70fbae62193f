package io.dandelion.entrance.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.dandelion.protocol.redis.RedisKeyLayout;

/**
 * Settings of the entrance, bound from {@code entrance.*} (the original's
 * {@code ENTRANCE_*} keys and our additions, see {@link EntranceConfigKeys} and
 * {@code config/entrance-config.yaml.example}).
 *
 * @param ip public IP advertised in OWN_INFO and in the entrance's own WebSocket URL;
 * empty means 127.0.0.1, which only boxes on this machine can reach
 * @param serverProxyPort port of the TLS proxy in front of the entrance; when set, the
 * own URL is {@code https://IP:PORT/dandelion/ws/}, else
 * {@code http://IP:server.port/dandelion/ws/}
 * @param expireBoxTime time after its last EXCHANGE before a box is dropped
 * @param amountOfBoxesPerRequest maximum number of boxes in a SEARCH reply
 * @param maxBoxesPerNetwork maximum number of boxes of one IPv4 /24 (IPv6 /48) in one
 * SEARCH reply
 * @param maxSearchCandidates how many of the most recently heard boxes a SEARCH ranks at
 * most
 * @param otherUrls other entrances' WebSocket URLs, handed to boxes in EXCHANGE replies
 * @param baseDirectory directory holding the ID file {@code entrance-id.txt}
 * @param geoipDatabase a MaxMind/DB-IP City database (.mmdb); empty means the bundled
 * GeoLite2 City of 2019
 * @param sweepPeriod time between two runs of the sweeper that drops expired boxes
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} header
 * is believed
 * @param federation how other entrances are checked
 * @param traffic how reported traffic is counted
 * @param ranking how SEARCH ranks and draws boxes
 * @param redisKeyLayout how the entrance's ID starts its Redis keys
 * ({@code REDIS_KEY_LAYOUT}); {@code null} for the default: cluster on a Redis Cluster,
 * else original
 * @param security who may change the entrance's state, and how it proves and checks trust
 * @param reports how publishers' REPORTs against boxes count
 * @param registration how fast one box may heartbeat and how many boxes one network may
 * register
 * @param probe how the entrance probes boxes' data ports and suspends those that fail
 */
@ConfigurationProperties("entrance")
@Validated
public record EntranceProperties(String ip, @Min(1) @Max(65535) Integer serverProxyPort,
		@DefaultValue("120s") @NotNull Duration expireBoxTime,
		@DefaultValue("20") @Positive int amountOfBoxesPerRequest, @DefaultValue("4") @Positive int maxBoxesPerNetwork,
		@DefaultValue("1000") @Positive int maxSearchCandidates, @DefaultValue List<URI> otherUrls,
		@DefaultValue("/tmp") @NotNull Path baseDirectory, Path geoipDatabase,
		@DefaultValue("250ms") @NotNull Duration sweepPeriod, @DefaultValue List<String> trustedProxies,
		@DefaultValue @Valid Federation federation, @DefaultValue @Valid Traffic traffic,
		@DefaultValue @Valid Ranking ranking, RedisKeyLayout redisKeyLayout, @DefaultValue @Valid Security security,
		@DefaultValue @Valid Reports reports, @DefaultValue @Valid Registration registration,
		@DefaultValue @Valid Probe probe) {

	/**
	 * Where the signing key is kept unless {@code entrance.security.signing-key} says.
	 */
	static final String DEFAULT_SIGNING_KEY_FILE = "entrance-signing-key.pem";

	/**
	 * The file of the entrance's Ed25519 key pair.
	 * @return {@code security.signing-key}, else {@code entrance-signing-key.pem} in the
	 * base directory
	 */
	public Path signingKeyFile() {
		return (this.security.signingKey() != null) ? this.security.signingKey()
				: this.baseDirectory.resolve(DEFAULT_SIGNING_KEY_FILE);
	}

	/**
	 * How other entrances are checked.
	 *
	 * @param checkPeriod time between two checks of every other entrance's greeting page
	 * @param unreachableAfter how long another entrance may fail its checks before it is
	 * left out of replies
	 */
	public record Federation(@DefaultValue("10s") @NotNull Duration checkPeriod,
			@DefaultValue("60s") @NotNull Duration unreachableAfter) {

	}

	/**
	 * How SEARCH ranks and draws boxes.
	 *
	 * @param weights weight of each part of a box's score, by name ({@code distance},
	 * {@code storage}, {@code bandwidth}, {@code cpu}, {@code freshness}, and for boxes
	 * the entrance probed {@code ttfb} and {@code throughput}); parts left out keep their
	 * default
	 * @param selectivity exponent on scores when drawing: 0 draws uniformly, higher
	 * values favour the best boxes
	 * @param claimsTrustedAfter how long a box must have been live before the figures it
	 * reports about itself (storage, bandwidth, CPU) count in full; until then they are
	 * drawn towards neutral in proportion
	 */
	public record Ranking(Map<String, Double> weights, @DefaultValue("3.0") @PositiveOrZero double selectivity,
			@DefaultValue("10m") @NotNull Duration claimsTrustedAfter) {

	}

	/**
	 * How fast one box may heartbeat and how many boxes one network may register, each
	 * refused with its own {@code ERROR_CODE} and nothing stored.
	 *
	 * @param maxExchangesPerMinute the most heartbeats one box may send this entrance per
	 * minute ({@code RATE_LIMITED} beyond)
	 * @param maxLiveBoxesPerNetwork the most live boxes of one IPv4 /24 (IPv6 /48)
	 * ({@code NETWORK_FULL} for a further one)
	 */
	public record Registration(@DefaultValue("60") @Positive int maxExchangesPerMinute,
			@DefaultValue("32") @Positive int maxLiveBoxesPerNetwork) {

	}

	/**
	 * How the entrance probes boxes' data ports (dial-back): it fetches each live box's
	 * probe object as a viewer would, measuring time to first byte and throughput, and
	 * leaves a box that keeps failing out of SEARCH replies.
	 *
	 * @param enabled whether boxes are probed at all; without probes no box is suspended
	 * and the ranking uses only what boxes report
	 * @param period time between two probes of one box
	 * @param timeout how long one probe may take, connecting and reading the whole object
	 * included, before it counts as failed
	 * @param suspendAfter consecutive failed probes that suspend a box (left out of
	 * SEARCH replies)
	 * @param reinstateAfter consecutive successful probes that reinstate a suspended box
	 * @param dropAfter how long a box may stay suspended before it is dropped from the
	 * directory, as if it had gone silent
	 * @param concurrency the most probes one entrance process runs at once
	 */
	public record Probe(@DefaultValue("true") boolean enabled,
			@DefaultValue("30s") @NotNull @DurationMin(millis = 100) Duration period,
			@DefaultValue("5s") @NotNull @DurationMin(millis = 100) Duration timeout,
			@DefaultValue("3") @Positive int suspendAfter, @DefaultValue("2") @Positive int reinstateAfter,
			@DefaultValue("10m") @NotNull @DurationMin(seconds = 1) Duration dropAfter,
			@DefaultValue("16") @Positive int concurrency) {

	}

	/**
	 * Trust: the token of the REST calls that change state, the key that signs publish
	 * tickets, and how fresh a request's proof must be.
	 *
	 * @param adminToken bearer token that REST calls changing state, and the list of
	 * credentials, need ({@code ENTRANCE_ADMIN_TOKEN}); without one they are refused in
	 * strict mode
	 * @param signingKey PEM file of the Ed25519 key pair that signs publish tickets
	 * ({@code ENTRANCE_SIGNING_KEY}), created when missing; empty means
	 * {@code entrance-signing-key.pem} in the base directory
	 * @param ticketTtl how long a publish ticket in a SEARCH reply stays valid
	 * ({@code PUBLISH_TICKET_TTL})
	 * @param authWindow how far a request's {@code AUTH_TIME} may be from the entrance's
	 * clock
	 */
	public record Security(String adminToken, Path signingKey,
			@DefaultValue("300s") @NotNull @DurationMin(seconds = 1) Duration ticketTtl,
			@DefaultValue("60s") @NotNull @DurationMin(seconds = 1) Duration authWindow) {

		@Override
		public String toString() {
			// Never the token: properties end up in logs and failure analyses
			return "Security[adminToken=" + ((this.adminToken != null) ? "***" : "none") + ", signingKey="
					+ this.signingKey + ", ticketTtl=" + this.ticketTtl + ", authWindow=" + this.authWindow + "]";
		}

	}

	/**
	 * How publishers' REPORTs against boxes count. A box's score is multiplied by
	 * {@code 1 / (1 + n)}, {@code n} being the distinct publishers that reported it
	 * within the window, so one publisher reporting a box many times weighs as one.
	 *
	 * @param window how long a publisher's report lowers a box's score
	 * @param retention how long a box's reports are kept after the last one
	 */
	public record Reports(@DefaultValue("24h") @NotNull @DurationMin(seconds = 1) Duration window,
			@DefaultValue("7d") @NotNull @DurationMin(seconds = 1) Duration retention) {

	}

	/**
	 * How reported traffic is counted.
	 *
	 * @param dedupeWindow how long a traffic log ID is remembered, so that an entry
	 * reported twice counts once
	 * @param historyCap about how many of a box's latest traffic entries the history
	 * stream keeps
	 */
	public record Traffic(@DefaultValue("1h") @NotNull Duration dedupeWindow,
			@DefaultValue("1000") @Positive int historyCap) {

	}

}
