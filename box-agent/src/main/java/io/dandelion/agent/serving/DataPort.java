package io.dandelion.agent.serving;

/**
 * The port viewers fetch the box's files from, as the box tells entrances and publishers
 * ({@code DATA_PORT}): the builtin server's bound port, else the configured
 * {@code BOX_DATA_PORT} nginx listens on.
 */
@FunctionalInterface
public interface DataPort {

	/**
	 * The data port.
	 * @return the port
	 */
	int port();

}
