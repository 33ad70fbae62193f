package io.dandelion.support.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks a Redis server whether it answers, in its own protocol (RESP), so that the
 * launcher needs no Redis client.
 */
final class RedisPing {

	private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration PAUSE = Duration.ofMillis(200);

	private RedisPing() {
	}

	/**
	 * Waits until the server answers PING.
	 * @param host its host
	 * @param port its port
	 * @param password its password, empty for none
	 * @param timeout how long to keep asking
	 * @throws InterruptedException when interrupted while waiting
	 */
	static void await(String host, int port, String password, Duration timeout) throws InterruptedException {
		Instant giveUp = Instant.now().plus(timeout);
		String last;
		do {
			last = attempt(host, port, password);
			if (last == null) {
				return;
			}
			Thread.sleep(PAUSE.toMillis());
		}
		while (Instant.now().isBefore(giveUp));
		throw new LaunchException(
				"no PONG from Redis at " + host + ":" + port + " within " + timeout.toSeconds() + " s (" + last + ")");
	}

	/** One try: {@code null} when the server answered PONG, else what went wrong. */
	private static String attempt(String host, int port, String password) {
		int timeout = (int) ATTEMPT_TIMEOUT.toMillis();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), timeout);
			socket.setSoTimeout(timeout);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			if (!password.isEmpty()) {
				out.write(command("AUTH", password));
				String reply = readLine(in);
				if (!reply.startsWith("+OK")) {
					return "AUTH answered " + reply;
				}
			}
			out.write(command("PING"));
			String reply = readLine(in);
			return reply.startsWith("+PONG") ? null : "PING answered " + reply;
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	/**
	 * A command as a RESP array of bulk strings, so that a password may hold any byte.
	 */
	static byte[] command(String... parts) {
		StringBuilder resp = new StringBuilder("*").append(parts.length).append("\r\n");
		for (String part : parts) {
			resp.append('$')
				.append(part.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n")
				.append(part)
				.append("\r\n");
		}
		return resp.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int next = in.read(); next != -1 && next != '\n'; next = in.read()) {
			if (next != '\r') {
				line.append((char) next);
			}
			if (line.length() > 512) {
				break;
			}
		}
		return line.toString();
	}

}
