package io.dandelion.support.client;

import java.nio.file.Path;

import io.netty.handler.ssl.SslContext;
import reactor.netty.http.client.HttpClient;

/**
 * The TLS every client of a node uses: TLS 1.2 or newer, certificates and host names
 * always verified, against the JDK's authorities and {@code TLS_TRUSTED_CERTIFICATES}.
 * The context is built once, at start-up, so that a bad file stops the node with a
 * message naming it.
 */
public final class ClientTls {

	private final SslContext context;

	private final Path trustedCertificates;

	ClientTls(Path trustedCertificates) {
		this.trustedCertificates = trustedCertificates;
		this.context = TrustedCertificates.clientContext(trustedCertificates);
	}

	/**
	 * The client, with this node's TLS for {@code https} and {@code wss} URLs (plain
	 * {@code http} and {@code ws} URLs stay plain).
	 * @param client a client
	 * @return the configured client
	 */
	public HttpClient apply(HttpClient client) {
		return client.secure((spec) -> spec.sslContext(this.context));
	}

	@Override
	public String toString() {
		return (this.trustedCertificates != null) ? "JDK authorities and " + this.trustedCertificates
				: "JDK authorities";
	}

}
