package io.dandelion.network.inprocess;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.network.inprocess.TestNetwork;
import io.dandelion.network.inprocess.TestNetwork.Box;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The RTMP ingest end to end, as OBS uses it: a real nginx runs the committed
 * {@code docker/nginx/ingest.conf} with the committed
 * {@code config/nginx-rtmp-ingest.conf} (only its user, files, listen address and
 * {@code hls_path} moved to a loopback port and a prefix under {@code target/}),
 * {@code ffmpeg} pushes its test pattern to {@code rtmp://127.0.0.1:PORT/live/rtmptest},
 * and the publisher of an in-JVM network (a real entrance and two boxes) watching nginx's
 * HLS directory takes the segments to the boxes, which serve viewers their exact bytes.
 * <p>
 * Needs nginx, Debian's RTMP module and ffmpeg: without them it fails, naming the Debian
 * packages ({@code .ci/run} installs them).
 */
@Tag(TestRedis.TAG)
class RtmpIngestTests {

	private static final Logger logger = LoggerFactory.getLogger(RtmpIngestTests.class);

	/** The repository root, seen from the module directory Maven runs tests in. */
	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	/**
	 * Where Debian's libnginx-mod-rtmp installs the module, as docker/nginx/ingest.conf
	 * loads it; {@code DANDELION_NGINX_RTMP_MODULE} names another, as for
	 * {@code DeploymentFilesTests}.
	 */
	private static final String RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

	/** Where nginx takes RTMP: loopback only, never the public 1935. */
	private static final String LOOPBACK = "127.0.0.1";

	private static final String PACKAGES = "Debian: apt-get install nginx libnginx-mod-rtmp ffmpeg; .ci/run installs them";

	/** The stream key OBS would send. */
	private static final String STREAM = "rtmptest";

	private static final int FRAMES_PER_SECOND = 25;

	/** One keyframe per HLS fragment ({@code hls_fragment 2s}), as OBS is told to. */
	private static final int KEYFRAME_SECONDS = 2;

	private static final int PUSH_SECONDS = 8;

	/** The push runs in real time ({@code -re}); the rest is for a slow machine. */
	private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(PUSH_SECONDS + 30);

	/**
	 * Shorter than the time nginx-rtmp's cleanup leaves a finished stream's playlist
	 * ({@code hls_playlist_length}, 12 s), after which the publisher has nothing to list.
	 */
	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration POLL = Duration.ofMillis(200);

	private static final Path PREFIX = Path.of("target", "rtmp-ingest-" + UUID.randomUUID()).toAbsolutePath();

	private static final Path WATCH_DIR = PREFIX.resolve("hls");

	private static Path ffmpeg;

	private static Process nginx;

	private static int rtmpPort;

	private static TestNetwork network;

	private static List<Box> boxes;

	private static WebTestClient publisher;

	@BeforeAll
	static void startIngestAndNetwork() throws IOException {
		Path nginxBinary = findExecutable("nginx", Path.of("/usr/sbin/nginx"));
		Path module = Path.of(System.getProperty("dandelion.nginx-rtmp-module",
				Optional.ofNullable(System.getenv("DANDELION_NGINX_RTMP_MODULE")).orElse(RTMP_MODULE)));
		ffmpeg = findExecutable("ffmpeg", Path.of("/usr/bin/ffmpeg"));
		List<String> missing = new ArrayList<>();
		if (nginxBinary == null) {
			missing.add("nginx (package nginx) on the PATH or at /usr/sbin/nginx");
		}
		if (!Files.isRegularFile(module)) {
			missing.add("the RTMP module (package libnginx-mod-rtmp) at " + module);
		}
		if (ffmpeg == null) {
			missing.add("ffmpeg (package ffmpeg) on the PATH or at /usr/bin/ffmpeg");
		}
		if (!missing.isEmpty()) {
			fail("The RTMP ingest test runs the committed ingest configuration in a real nginx and pushes to it with "
					+ "ffmpeg; missing: " + String.join(", ", missing) + " (" + PACKAGES + ")");
		}
		Files.createDirectories(WATCH_DIR);
		rtmpPort = freePort();
		nginx = startNginx(nginxBinary, writeConfiguration(module));
		network = TestNetwork.start();
		boxes = List.of(network.startBox("127.0.2.10"), network.startBox("127.0.3.10"));
		ConfigurableApplicationContext context = network.startPublisher(PREFIX.resolve("publisher"),
				"publisher.live.watch-dirs[0]=" + WATCH_DIR, "publisher.live.rescan-period=" + POLL.toMillis() + "ms",
				// Box URLs in the playlist name the box that stores each segment
				"publisher.live.segment-urls=box");
		publisher = TestNetwork.client(context);
	}

	@AfterAll
	static void stopNetworkAndIngest() throws InterruptedException {
		try {
			if (network != null) {
				network.close();
			}
		}
		finally {
			if (nginx != null) {
				stop(nginx);
			}
		}
	}

	@Test
	void shouldCarryAnRtmpPushThroughTheIngestToTheBoxes() throws Exception {
		// Segment file name to the box URL the publisher's playlist gave for it
		Map<String, URI> boxUrls = new ConcurrentHashMap<>();
		Process pushing = push();
		try {
			waitFor("the end of ffmpeg's push", await().atMost(PUSH_TIMEOUT).pollInterval(POLL), () -> {
				collectBoxUrls(boxUrls);
				return pushing.isAlive();
			}, (running) -> !running);
		}
		finally {
			pushing.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
		Set<String> atBoxesWhileLive = Set.copyOf(boxUrls.keySet());
		assertThat(pushing.exitValue()).as("ffmpeg's exit status; %s", logOf("ffmpeg.log")).isZero();

		// nginx-rtmp closes the last fragment once the stream has ended: then the
		// playlist lists every .ts of the directory
		Path stream = WATCH_DIR.resolve(STREAM);
		List<String> segments = waitFor("nginx-rtmp's HLS of the stream in " + stream,
				await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)),
				() -> listedSegments(stream), (listed) -> listed.size() >= 2 && listed.containsAll(tsFiles(stream)));
		// Read at once: the cleanup deletes the files a while after the stream ended
		Map<String, byte[]> written = new LinkedHashMap<>();
		for (String segment : segments) {
			written.put(segment, Files.readAllBytes(stream.resolve(segment)));
		}
		logger.info("nginx-rtmp wrote {} for a {} s push", written.keySet(), PUSH_SECONDS);

		// Every segment reaches a box; whether the newest one meanwhile points at the
		// origin or is held back is the playlist's business
		waitFor("box URLs for " + segments + " in the publisher's /live/" + STREAM + "/index.m3u8",
				await().atMost(STORE_TIMEOUT).pollInterval(POLL), () -> {
					collectBoxUrls(boxUrls);
					return boxUrls.keySet();
				}, (stored) -> stored.containsAll(segments));
		assertThat(atBoxesWhileLive).as("segments at boxes while the stream was live").isNotEmpty();
		for (String segment : segments) {
			URI url = boxUrls.get(segment);
			// A box's replica is found under the segment's public name, its FILE_PATH:
			// the watch directory stays on the publisher
			assertThat(url.getPath()).as("%s", url)
				.endsWith("/live/" + STREAM + "/" + segment)
				.doesNotContain(WATCH_DIR.toString());
			assertThat(TestNetwork.fetch(url.toString())).as("bytes of %s", url).isEqualTo(written.get(segment));
		}
	}

	/**
	 * docker/nginx/ingest.conf with config/nginx-rtmp-ingest.conf, as committed but for
	 * the directives that name the container's user and files and the public port.
	 * @return the main configuration file
	 */
	private static Path writeConfiguration(Path module) throws IOException {
		String rtmp = Files.readString(ROOT.resolve("config/nginx-rtmp-ingest.conf"));
		rtmp = withDirective(rtmp, "listen", LOOPBACK + ":" + rtmpPort);
		rtmp = withDirective(rtmp, "hls_path", quoted(WATCH_DIR));
		Path rtmpFile = Files.writeString(PREFIX.resolve("rtmp-ingest.conf"), rtmp);
		String ingest = Files.readString(ROOT.resolve("docker/nginx/ingest.conf"));
		// nginx started as root hands its worker to this user, which must write the HLS
		// and let the publisher read it; any other user ignores the directive
		ingest = withDirective(ingest, "user", System.getProperty("user.name"));
		ingest = withDirective(ingest, "pid", quoted(PREFIX.resolve("nginx.pid")));
		ingest = withDirective(ingest, "error_log", quoted(PREFIX.resolve("error.log")) + " info");
		ingest = withDirective(ingest, "load_module", quoted(module));
		ingest = withDirective(ingest, "include", quoted(rtmpFile));
		return Files.writeString(PREFIX.resolve("nginx.conf"), ingest);
	}

	/**
	 * Replaces the arguments of the one directive of a name; comments are left alone.
	 */
	private static String withDirective(String config, String name, String arguments) {
		Matcher directive = Pattern.compile("(?m)^([ \\t]*)" + Pattern.quote(name) + "[ \\t][^;#\\n]*;")
			.matcher(config);
		assertThat(directive.results().count()).as("'%s' directives in%n%s", name, config).isOne();
		return directive.replaceFirst("$1" + Matcher.quoteReplacement(name + " " + arguments + ";"));
	}

	private static String quoted(Path path) {
		return "\"" + path + "\"";
	}

	/**
	 * Starts nginx in the foreground ({@code daemon off} in ingest.conf) and waits until
	 * it accepts RTMP connections.
	 */
	private static Process startNginx(Path binary, Path config) throws IOException {
		// -e: the error log before the configuration is read, else nginx opens Debian's
		Process process = new ProcessBuilder(binary.toString(), "-p", PREFIX + "/", "-c", config.toString(), "-e",
				PREFIX.resolve("error.log").toString())
			.redirectErrorStream(true)
			.redirectOutput(PREFIX.resolve("nginx.out").toFile())
			.start();
		logger.info("nginx {} runs {} (RTMP on {}:{}, HLS into {})", binary, config, LOOPBACK, rtmpPort, WATCH_DIR);
		waitFor("nginx listening on " + LOOPBACK + ":" + rtmpPort,
				await().atMost(Duration.ofSeconds(10)).pollInterval(POLL), () -> {
					assertThat(process.isAlive()).as("nginx running; %s%n%s", logOf("nginx.out"), logOf("error.log"))
						.isTrue();
					return accepts(rtmpPort);
				}, (listening) -> listening);
		return process;
	}

	/**
	 * Stops nginx the way its service manager does (SIGTERM: fast shutdown, which ends
	 * its worker and cache manager too), by force when that takes too long.
	 */
	private static void stop(Process process) throws InterruptedException {
		List<ProcessHandle> children = process.descendants().toList();
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
		children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	/**
	 * ffmpeg's test pattern and a tone as OBS would send them: H.264 with a keyframe per
	 * fragment and AAC, in real time, over RTMP.
	 */
	private static Process push() throws IOException {
		int gop = FRAMES_PER_SECOND * KEYFRAME_SECONDS;
		return new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f",
				"lavfi", "-i", "testsrc=size=320x180:rate=" + FRAMES_PER_SECOND, "-f", "lavfi", "-i",
				"sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
				"-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop), "-sc_threshold", "0", "-c:a", "aac",
				"-b:a", "64k", "-t", Integer.toString(PUSH_SECONDS), "-f", "flv",
				"rtmp://" + LOOPBACK + ":" + rtmpPort + "/live/" + STREAM)
			.redirectErrorStream(true)
			.redirectOutput(PREFIX.resolve("ffmpeg.log").toFile())
			.start();
	}

	/**
	 * Records, per segment, the box URL the publisher's playlist gives viewers now; the
	 * playlist disappears with nginx's, so what it said earlier is kept.
	 */
	private static void collectBoxUrls(Map<String, URI> boxUrls) {
		EntityExchangeResult<String> result = publisher.get()
			.uri("/live/{stream}/index.m3u8", STREAM)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		if (!result.getStatus().is2xxSuccessful() || result.getResponseBody() == null) {
			return;
		}
		Set<String> boxOrigins = boxes.stream()
			.map((box) -> "http://" + box.ip() + ":" + box.dataPort())
			.collect(Collectors.toSet());
		result.getResponseBody()
			.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map(URI::create)
			.filter((uri) -> uri.isAbsolute()
					&& boxOrigins.contains(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort()))
			.forEach((uri) -> boxUrls.putIfAbsent(Path.of(uri.getPath()).getFileName().toString(), uri));
	}

	/** The segments nginx-rtmp's playlist of a stream lists, none while it has none. */
	private static List<String> listedSegments(Path stream) throws IOException {
		Path playlist = stream.resolve("index.m3u8");
		if (!Files.isRegularFile(playlist)) {
			return List.of();
		}
		return Files.readAllLines(playlist).stream().filter((line) -> line.endsWith(".ts")).toList();
	}

	private static List<String> tsFiles(Path stream) {
		try (Stream<Path> files = Files.list(stream)) {
			return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".ts")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Awaits a value that satisfies a condition and, on timeout, fails with what was seen
	 * last and the ingest's logs.
	 */
	private static <T> T waitFor(String what, ConditionFactory await, ThrowingSupplier<T> value,
			Predicate<T> condition) {
		AtomicReference<T> last = new AtomicReference<>();
		try {
			return await.until(() -> {
				T current = value.get();
				last.set(current);
				return current;
			}, condition);
		}
		catch (ConditionTimeoutException ex) {
			return fail("Timed out waiting for %s; last seen: %s; directory %s: %s%n%s%n%s", what, last.get(),
					WATCH_DIR.resolve(STREAM), listing(WATCH_DIR.resolve(STREAM)), logOf("error.log"),
					logOf("ffmpeg.log"));
		}
	}

	/** A supplier that may throw, for conditions that read files. */
	@FunctionalInterface
	private interface ThrowingSupplier<T> {

		T get() throws Exception;

	}

	private static String listing(Path directory) {
		if (!Files.isDirectory(directory)) {
			return "(none)";
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList().toString();
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static String logOf(String name) {
		Path log = PREFIX.resolve(name);
		try {
			return name + ":" + System.lineSeparator()
					+ (Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "(none)");
		}
		catch (IOException ex) {
			return name + ": " + ex;
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
	}

	/**
	 * An executable on the PATH, else at its Debian location; {@code null} if neither.
	 */
	private static Path findExecutable(String name, Path debianLocation) {
		List<Path> candidates = new ArrayList<>();
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				candidates.add(Path.of(directory, name));
			}
		}
		candidates.add(debianLocation);
		return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
	}

}
