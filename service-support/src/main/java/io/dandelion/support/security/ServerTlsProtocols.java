package io.dandelion.support.security;

import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * A node serving HTTPS (TLS_CERTIFICATE) speaks TLS 1.3 and 1.2 only, whatever the JDK
 * would also allow; so do the other servers of a node that serve with its certificate (a
 * box's data port).
 */
public final class ServerTlsProtocols implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	ServerTlsProtocols() {
	}

	/**
	 * The protocols a node's TLS servers accept.
	 * @return {@code TLSv1.3} and {@code TLSv1.2}, a fresh array
	 */
	public static String[] protocols() {
		return PROTOCOLS.clone();
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		Ssl ssl = factory.getSsl();
		if (Ssl.isEnabled(ssl) && ssl.getEnabledProtocols() == null) {
			ssl.setEnabledProtocols(protocols());
		}
	}

}
