package io.dandelion.support.client;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a node's clients (to entrances, boxes and other entrances) verify TLS peers
 * ({@code dandelion.tls.*}).
 *
 * @param trustedCertificates a PEM file of certificates trusted besides the JDK's
 * authorities ({@code TLS_TRUSTED_CERTIFICATES}), e.g. the self-signed certificate of a
 * box behind the original's TLS proxy; unset trusts the JDK's authorities alone
 */
@ConfigurationProperties("dandelion.tls")
public record ClientTlsProperties(Path trustedCertificates) {

}
