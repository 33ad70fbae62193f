package io.dandelion.support.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.dandelion.protocol.testing.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The launcher's Java half: what {@code ./dandelion} asks it, and the clear one-line
 * answers it gives to what it cannot do.
 */
class LauncherToolTests {

	@TempDir
	Path directory;

	@Test
	void shouldGiveThePreferredPortWhenFreeAndAnotherWhenTaken() throws Exception {
		int free = FreePort.on("127.0.0.1", 0);
		assertThat(free).isBetween(1, 65535);
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
			int port = taken.getLocalPort();
			int other = FreePort.on("127.0.0.1", port);
			assertThat(other).isNotEqualTo(port).isBetween(1, 65535);
		}
		assertThat(run("free-port", "127.0.0.1", Integer.toString(free))).isEqualTo(free + "\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "127.0.0.1; rm -rf /", "" })
	void shouldRefuseWhatIsNotAnAddress(String ip) {
		assertThatExceptionOfType(LaunchException.class).isThrownBy(() -> FreePort.on(ip, 0))
			.withMessageStartingWith("not an IP address");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "redis://127.0.0.1|127.0.0.1|6379|0|", "redis://redis:6380/3|redis|6380|3|",
					"redis://:s3cret@db.example:7000/14|db.example|7000|14|s3cret",
					"redis://user:pa ss@10.0.0.1/2/|10.0.0.1|6379|2|pa ss" })
	void shouldReadARedisUrl(String url, String host, int port, int database, String password) {
		assertThat(RedisUrl.parse(url))
			.isEqualTo(new RedisUrl(host, port, database, (password != null) ? password : ""));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:6379", "redis://", "redis://host:port", "redis://host:70000",
			"redis://host/db", "redis://a b" })
	void shouldRefuseAMalformedRedisUrlNamingTheForm(String url) {
		assertThatExceptionOfType(LaunchException.class).isThrownBy(() -> RedisUrl.parse(url))
			.withMessageContaining("REDIS_URL");
	}

	@Test
	void shouldPrintTheRedisUrlALineAPart() throws Exception {
		assertThat(run("redis-url", "redis://:pw@127.0.0.1:7001/5")).isEqualTo("127.0.0.1\n7001\n5\npw\n");
	}

	@Test
	void shouldFindARealRedisAnswering() throws InterruptedException {
		RedisUrl redis = RedisUrl.parse(TestRedis.url());
		RedisPing.await(redis.host(), redis.port(), redis.password(), Duration.ofSeconds(10));
	}

	@Test
	void shouldGiveUpOnAPortThatIsNotRedis() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			Thread answering = daemon(() -> answerWith(silent, "-ERR not redis\r\n"));
			assertThatThrownBy(() -> RedisPing.await("127.0.0.1", silent.getLocalPort(), "", Duration.ofMillis(300)))
				.isInstanceOf(LaunchException.class)
				.hasMessageContaining("no PONG from Redis at 127.0.0.1:" + silent.getLocalPort())
				.hasMessageContaining("-ERR not redis");
			answering.interrupt();
		}
	}

	@Test
	void shouldSendAPasswordAsOneBulkString() {
		assertThat(new String(RedisPing.command("AUTH", "a b\r\nc"), StandardCharsets.UTF_8))
			.isEqualTo("*2\r\n$4\r\nAUTH\r\n$6\r\na b\r\nc\r\n");
	}

	@Test
	void shouldSlideTheWindowAndMarkWhereTheClipStartsAgain() {
		ClipReplay.Window window = new ClipReplay.Window();
		int clip = 4;
		String gone = null;
		for (int n = 0; n < 9; n++) {
			gone = window.add("seg" + n + ".ts", n > 0 && n % clip == 0);
		}
		assertThat(gone).isEqualTo("seg2.ts");
		String playlist = window.playlist();
		assertThat(playlist).startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n")
			.contains("#EXT-X-MEDIA-SEQUENCE:3\n")
			// seg4 (a break) is still listed, seg0 never was a break: none has left yet
			.contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n");
		assertThat(playlist.lines().filter((line) -> line.endsWith(".ts")).toList()).containsExactly("seg3.ts",
				"seg4.ts", "seg5.ts", "seg6.ts", "seg7.ts", "seg8.ts");
		assertThat(playlist).contains("seg3.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000000,\nseg4.ts\n");
		for (int n = 9; n < 11; n++) {
			window.add("seg" + n + ".ts", n % clip == 0);
		}
		// seg4's break has left the window: it counts in the sequence, seg8's is still
		// marked
		String later = window.playlist();
		assertThat(later).contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n")
			.contains("seg7.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000000,\nseg8.ts\n");
		assertThat(later.split("#EXT-X-DISCONTINUITY\n", -1)).hasSize(2);
	}

	@Test
	void shouldPlayAClipIntoWholeFiles() throws Exception {
		Path clip = Files.createDirectories(this.directory.resolve("clip"));
		Files.writeString(clip.resolve("clip.m3u8"),
				"#EXTM3U\n#EXTINF:2.0,\na.ts\n#EXTINF:2.0,\nb.ts\n#EXT-X-ENDLIST\n");
		Files.writeString(clip.resolve("a.ts"), "A");
		Files.writeString(clip.resolve("b.ts"), "B");
		Path out = this.directory.resolve("out");
		Thread player = daemon(() -> {
			try {
				ClipReplay.of(clip).play(out, Duration.ofMillis(5));
			}
			catch (IOException | InterruptedException ex) {
				// interrupted: the test is done with it
			}
		});
		try {
			long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			// At least 3: with 5 ms segments the window may slide twice between two looks
			while (mediaSequence(out.resolve("index.m3u8")) < 3) {
				assertThat(System.nanoTime()).as("the window slid within 10 s").isLessThan(giveUp);
				Thread.sleep(5);
			}
		}
		finally {
			player.interrupt();
			player.join(5000);
		}
		try (var files = Files.list(out)) {
			List<Path> segments = files.filter((file) -> file.toString().endsWith(".ts")).toList();
			assertThat(segments).hasSizeLessThanOrEqualTo(ClipReplay.WINDOW + 1);
			for (Path segment : segments) {
				int n = Integer.parseInt(segment.getFileName().toString().replaceAll("\\D", ""));
				assertThat(Files.readString(segment)).isEqualTo((n % 2 == 0) ? "A" : "B");
			}
		}
	}

	/** The playlist's {@code #EXT-X-MEDIA-SEQUENCE}, -1 while there is none. */
	private static long mediaSequence(Path playlist) throws IOException {
		if (!Files.exists(playlist)) {
			return -1;
		}
		return Files.readString(playlist)
			.lines()
			.filter((line) -> line.startsWith("#EXT-X-MEDIA-SEQUENCE:"))
			.mapToLong((line) -> Long.parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()).strip()))
			.findFirst()
			.orElse(-1);
	}

	@Test
	void shouldSayWhatIsWrongWithAClip() throws IOException {
		assertThatThrownBy(() -> ClipReplay.of(this.directory)).isInstanceOf(LaunchException.class)
			.hasMessageContaining("no " + this.directory.resolve("clip.m3u8"));
		Files.writeString(this.directory.resolve("clip.m3u8"), "#EXTM3U\n#EXT-X-ENDLIST\n");
		assertThatThrownBy(() -> ClipReplay.of(this.directory)).isInstanceOf(LaunchException.class)
			.hasMessageContaining("no segments");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "|usage: LauncherTool", "fly|unknown command fly",
			"free-port|wrong number of arguments", "free-port 127.0.0.1 99999|not a port" })
	void shouldRefuseABadCallWithUsage(String call, String message) {
		String[] args = (call == null) ? new String[0] : call.split(" ");
		assertThatExceptionOfType(LaunchException.class).isThrownBy(() -> run(args)).withMessageContaining(message);
	}

	private static String run(String... args) throws IOException, InterruptedException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		LauncherTool.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8));
		return out.toString(StandardCharsets.UTF_8);
	}

	private static Thread daemon(Runnable work) {
		Thread thread = new Thread(work, "launcher-test");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void answerWith(ServerSocket server, String reply) {
		while (!Thread.currentThread().isInterrupted()) {
			try (Socket socket = server.accept()) {
				InputStream in = socket.getInputStream();
				in.read(new byte[64]);
				OutputStream out = socket.getOutputStream();
				out.write(reply.getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

}
