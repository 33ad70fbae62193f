package io.dandelion.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;

/**
 * What a network started by {@code ./dandelion up} was doing when a test of it failed:
 * the last lines of every part's log, and a thread dump of the publisher's JVM (saved
 * beside the logs too), so that a failure on a CI machine can be read from its output.
 */
final class NetworkReport {

	private static final int LOG_LINES = 60;

	private static final long DUMP_TIMEOUT_SECONDS = 20;

	private NetworkReport() {
	}

	static void print(Path runDirectory, Logger logger) {
		Path logs = runDirectory.resolve("logs");
		try (Stream<Path> files = Files.list(logs)) {
			for (Path log : files.filter((file) -> file.toString().endsWith(".log")).sorted().toList()) {
				List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
				logger.error("Last {} lines of {}:\n{}", Math.min(LOG_LINES, lines.size()), log,
						String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())));
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Could not read the logs in {}: {}", logs, ex.toString());
		}
		try {
			long pid = Long.parseLong(Files.readString(runDirectory.resolve("pids").resolve("publisher.pid")).strip());
			Path dump = logs.resolve("publisher-threads.txt");
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					String.valueOf(pid), "Thread.print")
				.redirectErrorStream(true)
				.redirectOutput(dump.toFile())
				.start();
			if (!jcmd.waitFor(DUMP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				jcmd.destroyForcibly();
			}
			logger.error("Threads of the publisher (pid {}), also in {}:\n{}", pid, dump, Files.readString(dump));
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Could not dump the publisher's threads: {}", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
