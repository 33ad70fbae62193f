package io.dandelion.publisher.system;

import java.util.Optional;

import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.NodeIdFile;
import io.dandelion.protocol.identity.Role;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The publisher's ID, kept in {@code <base-directory>/publisher-id.txt} so it survives
 * restarts. A publisher with a {@code CREDENTIAL} takes the ID the credential was issued
 * to.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(IdentityConfiguration.class);

	@Bean
	NodeId nodeId(PublisherProperties properties, SecurityProperties security) {
		Optional<NodeCredential> credential = security.nodeCredential();
		if (credential.isPresent()) {
			NodeId issuedTo = credential.get().id();
			if (issuedTo.role() != Role.PUBLISHER) {
				throw new IllegalStateException("CREDENTIAL was issued to " + issuedTo.value()
						+ ", which is not a publisher: a publisher needs the credential issued to its own "
						+ Role.PUBLISHER.idPrefix() + "… ID");
			}
			return NodeIdFile.loadOrAdopt(properties.baseDirectory(), issuedTo);
		}
		NodeId id = NodeIdFile.loadOrCreate(properties.baseDirectory(), Role.PUBLISHER);
		if (security.mode() == SecurityMode.STRICT) {
			// Started anyway: the REST API and the files already on boxes still work
			logger.error("SECURITY_MODE is strict but CREDENTIAL is not set: entrances in strict mode refuse this "
					+ "publisher's SEARCH, so it finds no boxes. Ask the entrance's operator for a credential for {} "
					+ "(PUT /dandelion/api/v1/credentials/{}) and set CREDENTIAL to it.", id.value(), id.value());
		}
		return id;
	}

}
