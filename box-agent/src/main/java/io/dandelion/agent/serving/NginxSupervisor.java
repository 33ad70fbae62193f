package io.dandelion.agent.serving;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;

/**
 * Runs nginx as a child process ({@code BOX_FILE_SERVER: nginx}): writes the generated
 * configuration into the run directory, checks it with {@code -t}, starts
 * {@code nginx -p RUN -c RUN/nginx.conf -e RUN/error.log} in the foreground
 * ({@code daemon off}), checks that it serves the store ({@link NginxStoreCheck}),
 * restarts it with backoff when it dies, reloads it on {@link #reload()} and stops it
 * with the application, so it is never left running. A box that cannot stop it (killed
 * with {@code kill -9}, or out of memory) has it stopped by a watchdog: a shell started
 * beside each nginx master, whose standard input is a pipe from the box; the pipe ends
 * when the box's process ends, however it ends, and the watchdog then stops nginx
 * ({@code TERM}, {@code KILL} after 10 s). At start-up an nginx left running by an
 * earlier box (its pid file in the run directory) is stopped as well. In {@code external}
 * mode it only writes the configuration.
 */
final class NginxSupervisor implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NginxSupervisor.class);

	private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private static final Duration STABLE = Duration.ofSeconds(60);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The watchdog, {@code sh -c WATCHDOG dandelion-nginx-watchdog <master pid>}: reads
	 * its standard input, which no one writes to, until the box's end of the pipe closes,
	 * then stops the master (which stops its workers). The box stops the watchdog itself
	 * when it stops nginx, or when nginx exits.
	 */
	private static final String WATCHDOG = "read -r line; kill -TERM \"$1\" 2>/dev/null || exit 0; i=0; "
			+ "while kill -0 \"$1\" 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i + 1)); done; "
			+ "kill -KILL \"$1\" 2>/dev/null";

	private final String binary;

	private final Path runDirectory;

	private final IntSupplier appPort;

	private final IntFunction<NginxConfig> configFactory;

	private final boolean supervise;

	private final Runnable readyCheck;

	private final Object lock = new Object();

	private volatile boolean running;

	private Process process;

	/**
	 * The watchdog of the running master; held so that its pipe stays open (a collected
	 * {@code Process} would close it, and the watchdog stop nginx).
	 */
	private Process watchdog;

	private Instant startedAt;

	private Duration backoff = FIRST_BACKOFF;

	private Scheduler scheduler;

	/**
	 * The master's workers, as last seen: a master killed with SIGKILL leaves them
	 * running with the listening sockets, and a new master could not bind.
	 */
	private List<ProcessHandle> workers = List.of();

	/**
	 * A supervisor.
	 * @param binary the nginx executable
	 * @param runDirectory the run directory
	 * @param appPort the box application's port, read at start
	 * @param configFactory the configuration for an application port
	 * @param supervise false in external mode: only write the configuration
	 * @param readyCheck run once nginx has started; an exception it throws stops nginx
	 * and fails the start
	 */
	NginxSupervisor(String binary, Path runDirectory, IntSupplier appPort, IntFunction<NginxConfig> configFactory,
			boolean supervise, Runnable readyCheck) {
		this.binary = binary;
		this.runDirectory = runDirectory;
		this.appPort = appPort;
		this.configFactory = configFactory;
		this.supervise = supervise;
		this.readyCheck = readyCheck;
	}

	@Override
	public void start() {
		NginxConfig config = this.configFactory.apply(this.appPort.getAsInt());
		try {
			config.write();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write " + config.file(), ex);
		}
		if (!this.supervise) {
			logger.info("BOX_FILE_SERVER is external: wrote {}; run nginx -p {} -c {}", config.file(),
					this.runDirectory, config.file());
			this.running = true;
			return;
		}
		stopStaleNginx();
		check();
		synchronized (this.lock) {
			this.scheduler = Schedulers.newSingle("nginx-supervisor", true);
			this.running = true;
			launch();
		}
		awaitReady();
		try {
			this.readyCheck.run();
		}
		catch (RuntimeException ex) {
			stop();
			throw ex;
		}
		logger.info("nginx started (pid {}) with {}", this.process.pid(), config.file());
	}

	/**
	 * Rewrites the configuration and, if it changed, checks it and tells nginx to reload
	 * it ({@code -s reload}): old workers finish their requests.
	 * @return whether nginx was told to reload
	 */
	boolean reload() {
		NginxConfig config = this.configFactory.apply(this.appPort.getAsInt());
		try {
			if (!config.write() || !this.supervise || !this.running) {
				return false;
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write " + config.file(), ex);
		}
		check();
		Result result = run(command("-s", "reload"));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("nginx -s reload failed: " + result.output());
		}
		logger.info("nginx reloaded {}", config.file());
		return true;
	}

	/**
	 * The running nginx master process, if any.
	 * @return its handle
	 */
	Optional<ProcessHandle> process() {
		synchronized (this.lock) {
			return (this.process != null && this.process.isAlive()) ? Optional.of(this.process.toHandle())
					: Optional.empty();
		}
	}

	private void check() {
		Result result = run(command("-t"));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("nginx -t refused the configuration: " + result.output());
		}
	}

	/** Starts nginx; called under the lock. */
	private void launch() {
		try {
			Files.deleteIfExists(pidFile());
			ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
				.redirectOutput(Redirect.appendTo(this.runDirectory.resolve("nginx.out").toFile()));
			Process started = builder.start();
			this.process = started;
			this.startedAt = Instant.now();
			this.watchdog = startWatchdog(started);
			started.onExit().thenAccept(this::exited);
			// nginx forks its workers right after start
			for (long delay : new long[] { 100, 500, 2000, 10000 }) {
				this.scheduler.schedule(() -> recordWorkers(started), delay, TimeUnit.MILLISECONDS);
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot start {}: {}", this.binary, ex.toString());
			scheduleRestart();
		}
	}

	/** Starts the watchdog of a master; {@code null} when it cannot be started. */
	private static Process startWatchdog(Process master) {
		try {
			return new ProcessBuilder("/bin/sh", "-c", WATCHDOG, "dandelion-nginx-watchdog",
					Long.toString(master.pid()))
				.redirectOutput(Redirect.DISCARD)
				.redirectError(Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			logger.warn("Cannot start the watchdog that stops nginx (pid {}) should the box be killed: {}",
					master.pid(), ex.toString());
			return null;
		}
	}

	/** Stops the watchdog of the master that ran last; under the lock. */
	private void stopWatchdog() {
		if (this.watchdog != null) {
			this.watchdog.destroy();
			this.watchdog = null;
		}
	}

	private void recordWorkers(Process master) {
		synchronized (this.lock) {
			if (master == this.process && master.isAlive()) {
				this.workers = master.children().toList();
			}
		}
	}

	/**
	 * Stops the workers of a master that died: those recorded (handles compare start
	 * times too, so a reused pid is never killed), and, if the master died before they
	 * were recorded, nginx workers started since it whose parent is no nginx.
	 */
	private void stopOrphanedWorkers() {
		Instant since = this.startedAt.minusSeconds(1);
		List<ProcessHandle> orphans = new ArrayList<>(this.workers);
		ProcessHandle.allProcesses()
			.filter((handle) -> title(handle).startsWith("nginx: worker process"))
			.filter((handle) -> handle.info().startInstant().map((start) -> !start.isBefore(since)).orElse(false))
			.filter((handle) -> handle.parent().map((parent) -> !title(parent).startsWith("nginx")).orElse(true))
			.forEach(orphans::add);
		orphans.stream().filter(ProcessHandle::isAlive).distinct().forEach((orphan) -> {
			logger.warn("Stopping nginx worker {} orphaned by its master", orphan.pid());
			orphan.destroyForcibly();
		});
		this.workers = List.of();
	}

	/**
	 * The process title nginx sets ({@code nginx: worker process}); Linux only, where it
	 * replaces the command line. Java's {@code ProcessHandle.Info} reports the executable
	 * instead.
	 */
	private static String title(ProcessHandle handle) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(handle.pid()), "cmdline")).replace('\0', ' ');
		}
		catch (IOException | RuntimeException ex) {
			// Exited meanwhile, or no /proc: not an nginx process of ours to look after
			return "";
		}
	}

	private void exited(Process exited) {
		synchronized (this.lock) {
			if (!this.running || exited != this.process) {
				return;
			}
			// Before its pid can be reused
			stopWatchdog();
			stopOrphanedWorkers();
			if (Duration.between(this.startedAt, Instant.now()).compareTo(STABLE) > 0) {
				this.backoff = FIRST_BACKOFF;
			}
			logger.warn("nginx (pid {}) exited with {}; restarting in {}", exited.pid(), exited.exitValue(),
					this.backoff);
			scheduleRestart();
		}
	}

	/** Restarts nginx after the backoff, doubling it up to a limit; under the lock. */
	private void scheduleRestart() {
		Duration delay = this.backoff;
		this.backoff = (this.backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF
				: this.backoff.multipliedBy(2);
		this.scheduler.schedule(() -> {
			synchronized (this.lock) {
				if (this.running) {
					launch();
				}
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Waits, bounded, until nginx wrote its pid file, i.e. has bound its ports; fails
	 * start-up with nginx's error log if it exits first.
	 */
	private void awaitReady() {
		Process started;
		synchronized (this.lock) {
			started = this.process;
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		try {
			while (System.nanoTime() < deadline) {
				if (started == null || !started.isAlive()) {
					stop();
					throw new IllegalStateException(
							"nginx exited at start-up: " + tail(this.runDirectory.resolve("error.log")));
				}
				if (Files.exists(pidFile())
						&& Files.readString(pidFile()).strip().equals(Long.toString(started.pid()))) {
					return;
				}
				// A bounded wait that ends early if nginx dies
				started.waitFor(50, TimeUnit.MILLISECONDS);
			}
		}
		catch (IOException ex) {
			logger.debug("Cannot read {} yet: {}", pidFile(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.warn("nginx did not write {} within 10 s; carrying on", pidFile());
	}

	/**
	 * An nginx left running by a box that died (its pid file is in our run directory) is
	 * stopped first, or it would keep the ports.
	 */
	private void stopStaleNginx() {
		try {
			if (!Files.exists(pidFile())) {
				return;
			}
			long pid = Long.parseLong(Files.readString(pidFile()).strip());
			ProcessHandle.of(pid)
				.filter(ProcessHandle::isAlive)
				.filter((handle) -> handle.info().command().map((command) -> command.contains("nginx")).orElse(false))
				.ifPresent((stale) -> {
					logger.warn("Stopping nginx (pid {}) left running by an earlier box", pid);
					terminate(stale);
				});
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Ignoring unreadable {}: {}", pidFile(), ex.toString());
		}
	}

	@Override
	public void stop() {
		Process current;
		synchronized (this.lock) {
			this.running = false;
			current = this.process;
			this.process = null;
			stopWatchdog();
			if (this.scheduler != null) {
				this.scheduler.dispose();
				this.scheduler = null;
			}
		}
		if (current != null) {
			terminate(current.toHandle());
			logger.info("nginx stopped");
		}
	}

	/** SIGTERM (nginx's fast shutdown), then SIGKILL for it and its workers. */
	private static void terminate(ProcessHandle handle) {
		List<ProcessHandle> workers = handle.descendants().toList();
		handle.destroy();
		try {
			handle.onExit().get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// Not gone within the time (or interrupted waiting): the fast way then
			workers.forEach(ProcessHandle::destroyForcibly);
			handle.destroyForcibly();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private Path pidFile() {
		return this.runDirectory.resolve("nginx.pid");
	}

	private List<String> command(String... extra) {
		List<String> command = new ArrayList<>(List.of(this.binary, "-p", this.runDirectory + "/", "-c",
				this.runDirectory.resolve(NginxConfig.FILE_NAME).toString(), "-e",
				this.runDirectory.resolve("error.log").toString()));
		command.addAll(List.of(extra));
		return command;
	}

	private static Result run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			// nginx -t and -s print a few lines: reading to the end cannot block long
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Result(-1, "timed out: " + output);
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			return new Result(-1, "cannot run " + command.get(0) + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, "interrupted");
		}
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		}
		catch (IOException ex) {
			return "(no " + file + ")";
		}
	}

	private record Result(int exitCode, String output) {

	}

}
