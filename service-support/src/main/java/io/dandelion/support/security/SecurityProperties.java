package io.dandelion.support.security;

import java.util.Optional;

import io.dandelion.protocol.auth.NodeCredential;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of trust every node shares ({@code dandelion.security.*}).
 *
 * @param mode {@code SECURITY_MODE}: strict (the default) or compatible
 * @param credential {@code CREDENTIAL}: the {@code ID:SECRET} an entrance issued to this
 * box or publisher; unset for an entrance, or a node not yet registered
 * @param signedViewerUrls {@code SIGNED_VIEWER_URLS}: whether viewer URLs of box files
 * are signed and checked (default true)
 */
@ConfigurationProperties("dandelion.security")
public record SecurityProperties(@DefaultValue("strict") SecurityMode mode, String credential,
		@DefaultValue("true") boolean signedViewerUrls) {

	/**
	 * The credential, read.
	 * @return the credential, empty when none is configured
	 * @throws IllegalStateException when it is configured but does not read, with a
	 * message naming the key and never the secret
	 */
	public Optional<NodeCredential> nodeCredential() {
		if (this.credential == null || this.credential.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(NodeCredential.parse(this.credential));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("CREDENTIAL does not read: " + ex.getMessage(), ex);
		}
	}

}
