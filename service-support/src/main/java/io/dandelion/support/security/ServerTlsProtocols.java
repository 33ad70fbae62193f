package io.dandelion.support.security;

import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * A node serving HTTPS (TLS_CERTIFICATE) speaks TLS 1.3 and 1.2 only, whatever the JDK
 * would also allow.
 */
class ServerTlsProtocols implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		Ssl ssl = factory.getSsl();
		if (Ssl.isEnabled(ssl) && ssl.getEnabledProtocols() == null) {
			ssl.setEnabledProtocols(PROTOCOLS);
		}
	}

}
