package io.dandelion.agent.serving;

import io.dandelion.protocol.ExchangeRequest;

/**
 * The port viewers fetch the box's files from, as the box tells entrances and publishers
 * ({@code DATA_PORT}): the builtin server's bound port, else the configured
 * {@code BOX_DATA_PORT} nginx listens on; and how ({@code DATA_SCHEME}).
 */
@FunctionalInterface
public interface DataPort {

	/**
	 * The data port.
	 * @return the port
	 */
	int port();

	/**
	 * How viewers fetch from the data port: {@code https} when the box serves TLS
	 * ({@code TLS_CERTIFICATE}), else {@code http}.
	 * @return the {@code DATA_SCHEME} to send
	 */
	default String scheme() {
		return ExchangeRequest.PLAIN_DATA;
	}

}
