package io.dandelion.agent.system;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.NodeIdFile;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The box's ID, kept in {@code <base-directory>/box-id.txt} so it survives restarts, and
 * the names of its Redis keys.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	@Bean
	NodeId nodeId(BoxProperties properties) {
		return NodeIdFile.loadOrCreate(properties.baseDirectory(), Role.BOX);
	}

	@Bean
	RedisKeys redisKeys(NodeId nodeId, BoxProperties properties) {
		return new RedisKeys(nodeId.value(), properties.redisKeyLayout());
	}

}
