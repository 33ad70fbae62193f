package io.dandelion.agent.serving;

import java.nio.file.Path;

/**
 * A box process reduced to its file server, for {@link NginxOfAKilledBoxTests}: starts
 * the box's {@link NginxSupervisor} on a real nginx serving a store on a loopback port,
 * says {@value #READY} and waits to be killed.
 */
final class SupervisedNginxMain {

	static final String READY = "nginx supervised";

	private SupervisedNginxMain() {
	}

	/**
	 * Runs the supervisor until the process is killed.
	 * @param arguments the nginx binary, the run directory, the store and the data port
	 */
	public static void main(String[] arguments) throws InterruptedException {
		Path run = Path.of(arguments[1]);
		NginxConfig config = new NginxConfig(run, Path.of(arguments[2]), "127.0.0.1", Integer.parseInt(arguments[3]),
				null, 1);
		NginxSupervisor supervisor = new NginxSupervisor(arguments[0], run, () -> 1, (appPort) -> config, true, () -> {
		});
		supervisor.start();
		System.out.println(READY);
		Thread.currentThread().join();
	}

}
