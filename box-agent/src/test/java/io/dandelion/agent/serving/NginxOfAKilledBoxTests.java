package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A box killed with {@code kill -9} leaves no nginx serving: a real box process (its own
 * JVM, running the box's {@link NginxSupervisor} on a real nginx) is killed, and its
 * nginx must stop within a bounded time, not keep the data port until the box starts
 * again.
 */
class NginxOfAKilledBoxTests {

	private static final Duration STOPPED_WITHIN = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	@Test
	void shouldStopNginxWhenTheBoxIsKilled() throws Exception {
		Path run = this.directory.resolve("run");
		Path store = Files.createDirectories(this.directory.resolve("store"));
		int dataPort = FileServingTestSupport.freePort();
		Path log = this.directory.resolve("box.log");
		Process box = new ProcessBuilder(List.of(javaBinary(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
				SupervisedNginxMain.class.getName(), FileServingTestSupport.nginxBinary(), run.toString(),
				store.toString(), Integer.toString(dataPort)))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		Optional<ProcessHandle> nginx = Optional.empty();
		try {
			await("nginx of the box serving").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.failFast(() -> !box.isAlive())
				.until(() -> SupervisedNginxMain.READY.equals(lastLine(log)) && accepts(dataPort));
			nginx = ProcessHandle.of(Long.parseLong(Files.readString(run.resolve("nginx.pid")).strip()));
			assertThat(nginx).as("nginx master").isPresent();

			box.destroyForcibly();
			assertThat(box.waitFor(10, TimeUnit.SECONDS)).isTrue();

			ProcessHandle master = nginx.get();
			await("nginx of the killed box stopped").atMost(STOPPED_WITHIN)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> !master.isAlive() && !accepts(dataPort));
		}
		finally {
			box.destroyForcibly();
			nginx.ifPresent((master) -> {
				master.descendants().forEach(ProcessHandle::destroyForcibly);
				master.destroyForcibly();
			});
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String lastLine(Path log) throws IOException {
		List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
		return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
	}

	private static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

}
