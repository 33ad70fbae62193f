package io.dandelion.agent.system;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.NodeIdFile;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.RedisDeployment;
import io.dandelion.support.security.SecurityProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The box's ID, kept in {@code <base-directory>/box-id.txt} so it survives restarts (the
 * one its {@code CREDENTIAL} names, when it has one), the names of its Redis keys, and
 * its settings of trust.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	@Bean
	BoxSecurity boxSecurity(SecurityProperties security, BoxProperties properties) {
		return BoxSecurity.of(security, properties);
	}

	@Bean
	NodeId nodeId(BoxProperties properties, BoxSecurity security) {
		// A credential names the box it was issued to: the box takes that
		// ID, and refuses to start as another
		return security.credential()
			.map((credential) -> NodeIdFile.loadOrAdopt(properties.baseDirectory(), credential.id()))
			.orElseGet(() -> NodeIdFile.loadOrCreate(properties.baseDirectory(), Role.BOX));
	}

	@Bean
	RedisKeys redisKeys(NodeId nodeId, BoxProperties properties, ObjectProvider<RedisConnectionDetails> redis) {
		return new RedisKeys(nodeId.value(),
				RedisDeployment.keyLayout(properties.redisKeyLayout(), RedisDeployment.isCluster(redis)));
	}

	@Bean
	SmartInitializingSingleton securityReport(BoxSecurity security, NodeId nodeId) {
		return () -> security.reportAtStartup(nodeId);
	}

}
