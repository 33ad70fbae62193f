package io.dandelion.entrance.dashboard;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.metrics.EntranceMetrics;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.traffic.TrafficRepository;
import io.dandelion.support.background.BackgroundJob;

/**
 * The dashboard's sampler and the background job that runs it every sample period.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

	@Bean
	DashboardSampler dashboardSampler(DashboardRepository samples, BoxRepository boxes, TrafficRepository traffic,
			DashboardProperties properties, EntranceProperties entrance, EntranceMetrics metrics) {
		return new DashboardSampler(samples, boxes, traffic, properties, entrance.maxSearchCandidates(),
				() -> metrics.answeredSoFar(EntranceMetrics.Command.EXCHANGE));
	}

	@Bean
	BackgroundJob dashboardSampling(DashboardSampler sampler, DashboardProperties properties, Clock clock) {
		return BackgroundJob.every("dashboard sampling", properties.samplePeriod(),
				() -> sampler.sample(clock.instant()));
	}

}
