package io.dandelion.publisher.audience;

import java.time.Clock;

import io.dandelion.publisher.config.PublisherProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AudienceConfiguration {

	@Bean
	ViewerAudience viewerAudience(PublisherProperties properties, Clock clock) {
		return new ViewerAudience(properties.audience(), clock);
	}

}
