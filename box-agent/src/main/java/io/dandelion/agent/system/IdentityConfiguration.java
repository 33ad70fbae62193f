package io.dandelion.agent.system;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.NodeIdFile;
import io.dandelion.protocol.identity.Role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The box's ID, kept in {@code <base-directory>/box-id.txt} so it survives restarts.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	@Bean
	NodeId nodeId(BoxProperties properties) {
		return NodeIdFile.loadOrCreate(properties.baseDirectory(), Role.BOX);
	}

}
