package io.dandelion.entrance.probe;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.support.background.BackgroundJob;
import io.dandelion.support.client.ClientTls;

/**
 * The dial-back probes and their background job, which runs unless
 * {@code entrance.probe.enabled} is false.
 */
@Configuration(proxyBeanMethods = false)
class ProbeConfiguration {

	@Bean
	BoxProbes boxProbes(BoxRepository boxes, ProbeRepository probes, ClientTls tls, ReactorResourceFactory resources,
			EntranceProperties properties, Clock clock, MeterRegistry registry) {
		ProbeClient client = new ProbeClient(tls, resources.getLoopResources(), properties.probe().timeout());
		return new BoxProbes(boxes, probes, client, properties, clock, registry);
	}

	@Bean
	@ConditionalOnProperty(name = "entrance.probe.enabled", matchIfMissing = true)
	BackgroundJob boxProber(BoxProbes probes, EntranceProperties properties) {
		// The first round waits one period, as the federation check does: boxes
		// register with an entrance that just started over its first seconds
		return BackgroundJob.every("box probes", properties.probe().period(), properties.probe().period(),
				probes::probeAll);
	}

}
