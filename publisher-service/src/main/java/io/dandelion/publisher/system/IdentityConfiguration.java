package io.dandelion.publisher.system;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.NodeIdFile;
import io.dandelion.protocol.identity.Role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The publisher's ID, kept in {@code <base-directory>/publisher-id.txt} so it survives
 * restarts.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	@Bean
	NodeId nodeId(PublisherProperties properties) {
		return NodeIdFile.loadOrCreate(properties.baseDirectory(), Role.PUBLISHER);
	}

}
