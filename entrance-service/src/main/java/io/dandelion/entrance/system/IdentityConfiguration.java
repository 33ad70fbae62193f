package io.dandelion.entrance.system;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.NodeIdFile;
import io.dandelion.protocol.identity.Role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The entrance's ID, kept in {@code <base-directory>/entrance-id.txt} so it survives
 * restarts.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	@Bean
	NodeId nodeId(EntranceProperties properties) {
		return NodeIdFile.loadOrCreate(properties.baseDirectory(), Role.ENTRANCE);
	}

}
