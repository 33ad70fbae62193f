package io.dandelion.support.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The entry point {@code ./dandelion} runs: one command a call, its answer on standard
 * output, a failure as one line on standard error and exit status 2.
 */
public final class LauncherTool {

	private static final String USAGE = """
			usage: LauncherTool COMMAND ARGS
			  free-port IP [PREFERRED]             PREFERRED when it can be bound on IP, else a port the kernel picks
			  redis-url URL                        HOST, PORT, DB and PASSWORD of redis://[:PASSWORD@]HOST[:PORT][/DB], a line each
			  redis-wait HOST PORT SECONDS         waits until Redis answers PING (password in DANDELION_REDIS_PASSWORD)
			  replay-clip CLIP_DIR OUT_DIR         plays CLIP_DIR/clip.m3u8 as a never-ending live stream in OUT_DIR""";

	private LauncherTool() {
	}

	public static void main(String[] args) {
		try {
			run(List.of(args), System.out);
		}
		catch (LaunchException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
		}
		catch (IOException ex) {
			System.err.println(ex.toString());
			System.exit(2);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			System.exit(130);
		}
	}

	static void run(List<String> args, PrintStream out) throws IOException, InterruptedException {
		if (args.isEmpty()) {
			throw new LaunchException(USAGE);
		}
		List<String> rest = args.subList(1, args.size());
		switch (args.get(0)) {
			case "free-port" -> {
				expect(rest, 1, 2);
				out.println(FreePort.on(rest.get(0), (rest.size() > 1) ? port(rest.get(1)) : 0));
			}
			case "redis-url" -> {
				expect(rest, 1, 1);
				RedisUrl url = RedisUrl.parse(rest.get(0));
				out.println(url.host());
				out.println(url.port());
				out.println(url.database());
				out.println(url.password());
			}
			case "redis-wait" -> {
				expect(rest, 3, 3);
				String password = System.getenv().getOrDefault("DANDELION_REDIS_PASSWORD", "");
				RedisPing.await(rest.get(0), port(rest.get(1)), password, Duration.ofSeconds(seconds(rest.get(2))));
			}
			case "replay-clip" -> {
				expect(rest, 2, 2);
				String pause = System.getenv().getOrDefault("DANDELION_REPLAY_SECONDS", "2");
				ClipReplay.of(Path.of(rest.get(0))).play(Path.of(rest.get(1)), secondsOf(pause));
			}
			default -> throw new LaunchException("unknown command " + args.get(0) + "\n" + USAGE);
		}
	}

	private static void expect(List<String> args, int least, int most) {
		if (args.size() < least || args.size() > most) {
			throw new LaunchException("wrong number of arguments: " + String.join(" ", args) + "\n" + USAGE);
		}
	}

	private static int port(String text) {
		try {
			int port = Integer.parseInt(text);
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// said below
		}
		throw new LaunchException("not a port (0 to 65535): " + text);
	}

	private static long seconds(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw new LaunchException("not a whole number of seconds: " + text);
		}
	}

	private static Duration secondsOf(String text) {
		try {
			Duration pause = Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9));
			if (!pause.isNegative()) {
				return pause;
			}
		}
		catch (NumberFormatException ex) {
			// said below
		}
		throw new LaunchException("DANDELION_REPLAY_SECONDS is not a number of seconds: " + text);
	}

}
