package io.dandelion.network;

/**
 * The network as the quick start (README, docs/running.md) runs it:
 * {@code ./dandelion up}, plain HTTP.
 */
class LocalNetworkIT extends LocalNetworkScenario {

	LocalNetworkIT() {
		super(false);
	}

}
