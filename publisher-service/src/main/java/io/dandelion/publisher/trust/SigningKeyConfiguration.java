package io.dandelion.publisher.trust;

import io.dandelion.publisher.config.PublisherProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key that signs segment manifests, read or made at start-up from
 * {@code publisher.security.signing-key}.
 */
@Configuration(proxyBeanMethods = false)
class SigningKeyConfiguration {

	@Bean
	PublisherSigningKey publisherSigningKey(PublisherProperties properties) {
		return PublisherSigningKey.loadOrCreate(properties.signingKeyFile());
	}

}
