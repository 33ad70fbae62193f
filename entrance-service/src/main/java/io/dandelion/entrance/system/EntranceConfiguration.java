package io.dandelion.entrance.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.federation.EntranceDirectory;
import io.dandelion.entrance.metrics.EntranceMetrics;
import io.dandelion.entrance.ranking.BoxRanker;
import io.dandelion.entrance.ranking.RankingSettings;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.geo.GeoIpLocator;
import io.dandelion.support.redis.RedisDeployment;

/**
 * The entrance's shared parts (codec, key names, clock, GeoIP database, ranker) and its
 * background jobs.
 */
@Configuration(proxyBeanMethods = false)
class EntranceConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EntranceConfiguration.class);

	/** The most boxes one sweep drops; the next sweep, a period later, takes the rest. */
	private static final int SWEEP_BATCH = 1000;

	private static final Duration SEED_PERIOD = Duration.ofSeconds(5);

	@Bean
	MessageCodec messageCodec() {
		return new MessageCodec();
	}

	@Bean
	RedisKeys redisKeys(NodeId nodeId, EntranceProperties properties, ObjectProvider<RedisConnectionDetails> redis) {
		return new RedisKeys(nodeId.value(),
				RedisDeployment.keyLayout(properties.redisKeyLayout(), RedisDeployment.isCluster(redis)));
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean(destroyMethod = "close")
	GeoIpLocator geoIpLocator(EntranceProperties properties) {
		return GeoIpLocator.open(properties.geoipDatabase());
	}

	@Bean
	BoxRanker boxRanker(EntranceProperties properties, Clock clock) {
		EntranceProperties.Ranking ranking = properties.ranking();
		return new BoxRanker(new RankingSettings(ranking.weights(), ranking.selectivity(),
				properties.maxBoxesPerNetwork(), ranking.claimsTrustedAfter()), clock, BoxRanker.threadSafeRandom());
	}

	@Bean
	BackgroundJob boxExpirySweeper(BoxRepository boxes, EntranceMetrics metrics, EntranceProperties properties,
			Clock clock) {
		return BackgroundJob.every("box expiry sweeper", properties.sweepPeriod(), () -> {
			Instant now = clock.instant();
			return boxes.expire(now, SWEEP_BATCH).doOnNext((boxId) -> {
				metrics.boxExpired();
				logger.info("Box {} dropped: no EXCHANGE for {}", boxId, properties.expireBoxTime());
			}).then(boxes.countLive(now)).doOnNext(metrics::liveBoxes);
		});
	}

	@Bean
	BackgroundJob entranceChecker(EntranceDirectory directory, EntranceProperties properties) {
		// The first check waits one period:
		// a new entrance counts as reachable until then anyway.
		Duration period = properties.federation().checkPeriod();
		return BackgroundJob.every("entrance federation check", period, period, directory::checkOthers);
	}

	@Bean
	BackgroundJob entranceSeeder(EntranceDirectory directory) {
		// Repeated because it is cheap (SADD, HSETNX)
		// and puts OWN_INFO back if Redis lost it.
		return BackgroundJob.every("entrance own info and seed", SEED_PERIOD, directory::seed);
	}

}
