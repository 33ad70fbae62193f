package io.dandelion.network;

/**
 * The network as the README's quick start runs it: {@code ./dandelion up}, plain HTTP.
 */
class LocalNetworkIT extends LocalNetworkScenario {

	LocalNetworkIT() {
		super(false);
	}

}
