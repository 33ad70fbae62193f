package io.dandelion.network;

/**
 * The network over TLS: {@code ./dandelion up --tls}, every port HTTPS/WSS with one
 * self-signed certificate.
 */
class LocalTlsNetworkIT extends LocalNetworkScenario {

	LocalTlsNetworkIT() {
		super(true);
	}

}
