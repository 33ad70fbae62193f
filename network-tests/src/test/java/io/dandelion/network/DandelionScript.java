package io.dandelion.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The repository's {@code ./dandelion} script, run as a user runs it, with its own run
 * directory under {@code target/} (so a network a developer runs from {@code ./run} is
 * never touched) and no {@code REDIS_URL} (so it starts its own Redis, as it does on a
 * fresh machine).
 */
final class DandelionScript {

	/** The repository: failsafe passes it, the module's parent by default. */
	static final Path ROOT = Path.of(System.getProperty("dandelion.root", "..")).toAbsolutePath().normalize();

	private final Path runDirectory;

	private final Path transcripts;

	private int runs;

	/**
	 * A script bound to a run directory.
	 * @param runDirectory the run directory ({@code DANDELION_RUN_DIR}), created if
	 * needed
	 */
	DandelionScript(Path runDirectory) throws IOException {
		assertThat(ROOT.resolve("dandelion")).as("the ./dandelion script in %s", ROOT).isExecutable();
		this.runDirectory = Files.createDirectories(runDirectory).toAbsolutePath().normalize();
		this.transcripts = Files
			.createDirectories(this.runDirectory.resolveSibling(this.runDirectory.getFileName() + "-transcripts"));
	}

	Path runDirectory() {
		return this.runDirectory;
	}

	/**
	 * Runs the script and waits for it, its output kept in a transcript file beside the
	 * run directory.
	 * @param timeout how long it may take; after that it and its children are killed and
	 * the test fails
	 * @param arguments the command and its options, e.g. {@code up --boxes 3}
	 * @return how it ended
	 */
	Result run(Duration timeout, String... arguments) throws IOException, InterruptedException {
		return run(timeout, Map.of(), arguments);
	}

	/**
	 * Runs the script with some environment variables set and waits for it.
	 * @param timeout how long it may take
	 * @param variables the variables, e.g. {@code REDIS_URL}
	 * @param arguments the command and its options
	 * @return how it ended
	 */
	Result run(Duration timeout, Map<String, String> variables, String... arguments)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(ROOT.resolve("dandelion").toString());
		command.addAll(List.of(arguments));
		Path transcript = this.transcripts.resolve(++this.runs + "-" + String.join("-", arguments) + ".txt");
		ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(transcript.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("DANDELION_RUN_DIR", this.runDirectory.toString());
		environment.remove("REDIS_URL");
		// The parts run on Netty's NIO transport, as the test JVMs do (the root pom's
		// argLine): on the sandboxed machines the tests run on, the native epoll
		// transport
		// now and then loses the wake-up for a request on a kept-alive connection, and a
		// request went unanswered with every event loop idle in epoll_wait
		environment.put("DANDELION_JAVA_OPTS",
				(environment.getOrDefault("DANDELION_JAVA_OPTS", "") + " -Dreactor.netty.native=false").strip());
		environment.putAll(variables);
		Process process = builder.start();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			fail("./dandelion %s did not end within %s; output:%n%s", String.join(" ", arguments), timeout,
					Files.readString(transcript, StandardCharsets.UTF_8));
		}
		return new Result(process.exitValue(), Files.readString(transcript, StandardCharsets.UTF_8));
	}

	/**
	 * Every process whose command line names the run directory: the parts the script
	 * started (their configuration, store, Redis directory or HLS output is in it).
	 * @return the processes, this JVM excluded
	 */
	List<ProcessHandle> processesOfTheRunDirectory() {
		String marker = this.runDirectory.toString();
		return ProcessHandle.allProcesses()
			.filter((process) -> process.pid() != ProcessHandle.current().pid())
			.filter((process) -> process.info().commandLine().map((line) -> line.contains(marker)).orElse(false))
			.toList();
	}

	/**
	 * How a run of the script ended.
	 *
	 * @param exitCode its exit code
	 * @param output what it printed, standard error included
	 */
	record Result(int exitCode, String output) {

	}

}
