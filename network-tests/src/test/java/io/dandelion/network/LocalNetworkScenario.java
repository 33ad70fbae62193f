package io.dandelion.network;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.network.DandelionScript.Result;
import io.dandelion.network.RunningNetwork.Box;
import io.dandelion.publisher.watch.ViewerPage;
import io.dandelion.publisher.watch.ViewerPage.Playback;
import io.dandelion.publisher.watch.ViewerPage.Segment;
import io.dandelion.publisher.watch.ViewerPage.Stats;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole network as a newcomer starts it: {@code ./dandelion up --boxes 3} (on the
 * jars this build has just packaged) runs Redis, an entrance, three boxes and a publisher
 * with its demo stream as separate processes on loopback addresses; with {@code --tls}
 * every part serves HTTPS/WSS (a box its data port too) with one self-signed certificate
 * the others trust. The tests then use it only from outside, over HTTP(S) (trusting that
 * certificate) and in headless Chromium, in order: every endpoint answers in the
 * network's scheme, boxes registered, the viewer plays the demo from the boxes, the
 * entrance's dashboard shows the boxes and what they served, a file goes out through
 * {@code /r/} to a box URL, a box dies and the redirects move, {@code ./dandelion down}
 * leaves nothing behind. {@link LocalNetworkIT} runs it plain, as the quick start does,
 * {@link LocalTlsNetworkIT} with {@code --tls}.
 */
@TestMethodOrder(OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalNetworkScenario {

	private final Logger logger = LoggerFactory.getLogger(getClass());

	private static final int BOXES = 3;

	private static final Duration UP_TIMEOUT = Duration.ofMinutes(6);

	private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);

	/**
	 * What the box share of a viewer's segment bytes must reach: the point of the CDN.
	 */
	private static final double MINIMUM_BOX_SHARE = 0.99;

	private static final Duration PLAYED = Duration.ofSeconds(10);

	/** Whether the network serves TLS ({@code up --tls}). */
	private final boolean tls;

	/** {@code https} or {@code http}. */
	private final String scheme;

	private final Path screenshot;

	private final Path dashboardScreenshot;

	LocalNetworkScenario(boolean tls) {
		this.tls = tls;
		this.scheme = tls ? "https" : "http";
		this.screenshot = Path.of("target", tls ? "network-watch-demo-tls.png" : "network-watch-demo.png");
		this.dashboardScreenshot = Path.of("target", tls ? "network-dashboard-tls.png" : "network-dashboard.png");
	}

	/** {@code "GET /path HTTP/1.1" 200 12345} in an access-log line. */
	private static final Pattern ACCESS_LOG_REQUEST = Pattern.compile("\"GET (\\S+) HTTP/[0-9.]+\" (\\d{3}) (\\d+)$");

	/** Trusts the network's certificate, once it is up. */
	private HttpClient http;

	private static final ObjectMapper json = new ObjectMapper();

	private DandelionScript script;

	private RunningNetwork network;

	private boolean down;

	/** The file of {@link #shouldServeAnUploadedFileFromABoxThroughTheRedirect()}. */
	private String uploadedFilePath;

	private byte[] uploadedBytes;

	@BeforeAll
	void startTheNetwork() throws Exception {
		// One directory per scenario: the second would otherwise overwrite the first's
		// logs
		script = new DandelionScript(Path.of("target", this.tls ? "network-run-tls" : "network-run"));
		// A previous run that was killed may have left its network up
		script.run(DOWN_TIMEOUT, "down");
		List<String> arguments = new ArrayList<>(List.of("up", "--boxes", String.valueOf(BOXES), "--no-build"));
		if (this.tls) {
			arguments.add("--tls");
		}
		Result up = script.run(UP_TIMEOUT, arguments.toArray(String[]::new));
		logger.info("./dandelion {} printed:\n{}", String.join(" ", arguments), up.output());
		assertThat(up.exitCode()).as("./dandelion up exit code; it printed:%n%s", up.output()).isZero();
		assertThat(up.output()).contains("Dandelion is up", "viewer", "./dandelion down")
			.contains("viewer     " + this.scheme + "://127.0.0.1:");
		network = RunningNetwork.of(script.runDirectory());
		assertThat(network.boxes()).hasSize(BOXES);
		HttpClient.Builder client = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER);
		if (this.tls) {
			assertThat(up.output()).doesNotContain("http://127.");
			assertThat(network.certificate()).isRegularFile();
			client.sslContext(trusting(network.certificate()));
		}
		else {
			assertThat(network.certificate()).isNull();
		}
		http = client.build();
	}

	/**
	 * On a failed test, what the network was doing: the end of each part's log and the
	 * publisher's threads, printed while it still runs (the logs are overwritten by the
	 * next run, and a hang shows only in a thread dump).
	 */
	@RegisterExtension
	final TestWatcher failureReport = new TestWatcher() {
		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			if (script != null && !down) {
				NetworkReport.print(script.runDirectory(), logger);
			}
		}
	};

	@AfterAll
	void stopTheNetwork() throws Exception {
		if (script != null && !down) {
			// A failed test still leaves no process behind
			Result result = script.run(DOWN_TIMEOUT, "down");
			logger.info("./dandelion down printed:\n{}", result.output());
		}
	}

	@Test
	@Order(1)
	void shouldReportEveryPartAliveInStatus() throws Exception {
		Result status = script.run(Duration.ofSeconds(30), "status");
		assertThat(status.exitCode()).isZero();
		List<String> parts = List.of("redis", "entrance", "box-1", "box-2", "box-3", "publisher", "demo");
		for (String part : parts) {
			assertThat(status.output()).as("status of %s", part)
				.containsPattern("(?m)^" + part + "\\s+\\d+\\s+alive\\b");
		}
		assertThat(status.output()).doesNotContain("dead");

		// A second up refuses and leaves the running network alone
		Result again = script.run(Duration.ofSeconds(30), "up", "--no-build");
		assertThat(again.exitCode()).isEqualTo(1);
		assertThat(again.output()).contains("already running", "./dandelion down");
		assertThat(script.run(Duration.ofSeconds(30), "status").output()).doesNotContain("dead");
	}

	@Test
	@Order(2)
	void shouldAnswerInTheNetworksSchemeOnEveryPort() throws Exception {
		assertThat(List.of(network.entrance(), network.publisher(), network.viewer())).extracting(URI::getScheme)
			.containsOnly(this.scheme);
		assertThat(getText(network.entrance().resolve("/dandelion/"))).startsWith("HI entrance-");
		assertThat(getText(network.publisher().resolve("/dandelion/"))).startsWith("HI publisher-");
		List<URI> plain = new ArrayList<>(List.of(plain(network.entrance().resolve("/dandelion/")),
				plain(network.publisher().resolve("/dandelion/"))));
		for (Box box : network.boxes()) {
			URI greeting = URI
				.create(this.scheme + "://" + box.ip() + ":" + box.port() + "/dandelion/" + box.id() + "/");
			assertThat(getText(greeting)).isEqualTo("HI " + box.id());
			// The file server answers in the same scheme (no file at "/")
			URI files = URI.create(this.scheme + "://" + box.dataAddress() + "/");
			assertThat(http
				.send(HttpRequest.newBuilder(files).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode()).as("GET %s", files).isEqualTo(404);
			plain.add(plain(greeting));
			plain.add(plain(files));
		}
		if (!this.tls) {
			return;
		}
		// Over TLS, plain HTTP gets no answer but nginx's 400 "plain HTTP request was
		// sent
		// to HTTPS port"
		for (URI uri : plain) {
			try {
				assertThat(http
					.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode()).as("GET %s", uri).isEqualTo(400);
			}
			catch (IOException ex) {
				logger.debug("GET {} refused: {}", uri, ex.toString());
			}
		}
	}

	@Test
	@Order(3)
	void shouldListEveryBoxAtTheEntrance() throws Exception {
		Set<String> expected = new HashSet<>();
		network.boxes().forEach((box) -> expected.add(box.id()));
		// Boxes heartbeat every few seconds; all three are in by the time up is done
		await("the boxes at the entrance").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				Set<String> listed = new HashSet<>();
				for (JsonNode box : getJson(network.entrance().resolve("/dandelion/api/v1/boxes"))) {
					listed.add(box.path("id").asText());
				}
				return listed.containsAll(expected);
			});
		for (Box box : network.boxes()) {
			JsonNode listed = getJson(network.entrance().resolve("/dandelion/api/v1/boxes/" + box.id()));
			assertThat(listed.path("ip").asText()).as("IP of %s", box.name()).isEqualTo(box.ip());
			assertThat(listed.path("rank").path("score").asDouble()).as("score of %s", box.name()).isPositive();
		}
	}

	@Test
	@Order(4)
	void shouldKeepEachSegmentsUriFromOneReloadToTheNext() throws Exception {
		// hls.js stops with a fatal "media sequence mismatch" when a listed segment's URI
		// changes between two reloads of the playlist
		Map<String, String> firstUris = new HashMap<>();
		Set<String> segments = new HashSet<>();
		int firstListed = -1;
		URI playlist = network.publisher().resolve("/live/demo/index.m3u8");
		for (int reload = 0; reload < 16; reload++) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(playlist).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			List<String> uris = response.body()
				.lines()
				.filter((line) -> !line.isBlank() && !line.startsWith("#"))
				.toList();
			if (firstListed < 0) {
				firstListed = uris.size();
			}
			for (String uri : uris) {
				String segment = uri.substring(uri.lastIndexOf('/') + 1);
				segments.add(segment);
				assertThat(uri).as("URI of %s on reload %d", segment, reload)
					.isEqualTo(firstUris.computeIfAbsent(segment, (name) -> uri));
			}
			Thread.sleep(500);
		}
		// New segments came while the playlist was reloaded: the URIs were compared
		// across a moving window
		assertThat(segments).hasSizeGreaterThan(firstListed);
	}

	@Test
	@Order(5)
	void shouldPlayTheDemoStreamFromTheBoxes(@TempDir Path userDataDirectory) throws Exception {
		Stats stats;
		try (ViewerPage page = ViewerPage.open(network.viewer().toString(), userDataDirectory, network.certificate())) {
			Playback playback = page.awaitPlayback(PLAYED, Duration.ofSeconds(30));
			logger.info("Played {} s of the demo stream in {} ms (samples {})", PLAYED.toSeconds(),
					playback.elapsed().toMillis(), playback.samples());
			assertThat(playback.samples()).as("currentTime never goes back").isSorted();
			assertThat(page.paused()).isFalse();
			stats = page.stats();
			page.saveScreenshot(screenshot);
			logger.info("Screenshot of the viewer page: {}", screenshot.toAbsolutePath());
		}
		logger.info("The page counted {} segments: {} bytes from boxes, {} from the origin", stats.segments().size(),
				stats.boxBytes(), stats.originBytes());
		assertThat(stats.segments()).as("segments the page loaded").hasSizeGreaterThanOrEqualTo(5);
		assertThat(stats.boxShare()).as("share of segment bytes from boxes (%s)", stats)
			.isGreaterThanOrEqualTo(MINIMUM_BOX_SHARE);

		// Each segment the page says a box sent is in that box's access log, whole
		for (Segment segment : stats.segments()) {
			if (!segment.fromBox()) {
				continue;
			}
			Box box = network.boxServing(segment.host())
				.orElseThrow(() -> new AssertionError("The page names " + segment.host() + ", not a box of ours"));
			String path = URI.create(segment.url()).getRawPath();
			assertThat(bytesLogged(box, path)).as("%s in %s", path, box.accessLog())
				.hasValueSatisfying((sent) -> assertThat(sent).isGreaterThanOrEqualTo(segment.bytes()));
		}
	}

	/**
	 * The entrance's dashboard, opened as the operator would with the admin token that
	 * {@code up} wrote: every box in its table, the demo stream's traffic (served in the
	 * test before) in its plot of bytes per box. The boxes are on loopback addresses,
	 * which the bundled GeoIP database does not place: each box is a point on the map or
	 * counted as unplaced.
	 */
	@Test
	@Order(6)
	void shouldShowTheNetworkOnTheDashboard(@TempDir Path userDataDirectory) throws Exception {
		String token = Files.readString(network.runDirectory().resolve("secrets").resolve("admin-token")).strip();
		List<String> ids = network.boxes().stream().map(Box::id).toList();
		String url = network.entrance().resolve("/dandelion/dashboard") + "#token=" + token;
		try (ViewerPage page = ViewerPage.open(url, userDataDirectory, network.certificate())) {
			await("every box on the dashboard, and the bytes they served").atMost(Duration.ofSeconds(40))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> page.script("var d = window.dandelionDashboard; return !!d && d.connection === 'live' "
						+ "&& !!d.series && Object.values(d.series.boxBytesPerSecond).some("
						+ "(rates) => rates.some((rate) => rate > 0)) && d.series.exchangesPerSecond.some("
						+ "(rate) => rate > 0) && d.rows === " + BOXES), Boolean.TRUE::equals);
			assertThat(page.script("return Array.from(document.querySelectorAll('#boxes tbody tr'))"
					+ ".map((row) => row.dataset.boxId)"))
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.containsExactlyInAnyOrderElementsOf(ids);
			assertThat(page.script("var d = window.dandelionDashboard; return d.points + d.unplaced"))
				.isEqualTo((long) BOXES);
			assertThat(page.script("return document.querySelectorAll('.plot canvas').length")).isEqualTo(3L);
			assertThat(page.script("return location.href")).as("the token is taken out of the address")
				.asString()
				.doesNotContain(token);
			page.saveScreenshot(dashboardScreenshot);
			logger.info("Screenshot of the dashboard: {}", dashboardScreenshot.toAbsolutePath());
		}
	}

	/**
	 * What a probe of an unauthenticated network did, tried again on the network
	 * {@code ./dandelion up} started (strict by default): each attempt is refused and
	 * changes nothing.
	 */
	@Test
	@Order(7)
	void shouldRefuseWhatAnAttackerTries() throws Exception {
		Attacker attacker = new Attacker(network, http);
		Box victim = network.boxes().get(0);
		attacker.assertAnonymousWritesRefused();
		attacker.assertFakeBoxRefused();
		attacker.assertTakeOverRefused(victim);
		attacker.assertPublishWithoutTicketRefused(victim);
		attacker.assertUnsignedBoxUrlRefused();
	}

	@Test
	@Order(8)
	void shouldServeAnUploadedFileFromABoxThroughTheRedirect() throws Exception {
		uploadedBytes = new byte[256 * 1024];
		new Random(6).nextBytes(uploadedBytes);
		String name = "/e2e/" + Instant.now().toEpochMilli() + ".bin";
		HttpResponse<String> put = http
			.send(HttpRequest.newBuilder(network.publisher().resolve("/api/v1/files" + name + "?ttl=600"))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer " + network.apiToken())
				.PUT(HttpRequest.BodyPublishers.ofByteArray(uploadedBytes))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(put.statusCode()).as("PUT answered %s", put.body()).isEqualTo(202);
		// The upload lives at the URL it was PUT to, under the same name on the boxes
		uploadedFilePath = json.readTree(put.body()).path("filePath").asText();
		assertThat(uploadedFilePath).isEqualTo(name);
		assertThat(put.headers().firstValue("Location")).hasValue("/api/v1/files" + name);

		// Stored on two boxes (PUBLISH_REPLICAS), each with the right SHA-256
		await("the upload stored twice").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				JsonNode state = getJson(network.publisher().resolve("/api/v1/files" + uploadedFilePath));
				return "stored".equals(state.path("state").asText()) && state.path("replicas").size() >= 2;
			});
		URI box = redirect();
		assertThat(box.getScheme()).as("redirect %s", box).isEqualTo(this.scheme);
		assertThat(network.boxServing(box.getAuthority())).as("redirect %s points at a box", box).isPresent();
		assertThat(box.getPath()).endsWith(name);
		assertThat(fetch(box)).isEqualTo(uploadedBytes);
	}

	@Test
	@Order(9)
	void shouldMoveTheRedirectsWithinTwoSecondsWhenABoxDies() throws Exception {
		assertThat(uploadedFilePath).as("the upload of the previous test").isNotNull();
		URI before = redirect();
		Box victim = network.boxServing(before.getAuthority()).orElseThrow();
		ProcessHandle process = ProcessHandle.of(victim.pid())
			.orElseThrow(() -> new AssertionError(victim.name() + " (pid " + victim.pid() + ") is not running"));
		process.destroyForcibly();
		process.onExit().get(10, TimeUnit.SECONDS);
		Instant killed = Instant.now();

		URI after = await("the redirect to leave " + victim.name()).atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.until(this::redirect, (location) -> !location.getAuthority().equals(before.getAuthority()));
		logger.info("{} killed; {} ms later /r/ sent viewers to {} instead of {}", victim.name(),
				Duration.between(killed, Instant.now()).toMillis(), after.getAuthority(), before.getAuthority());
		Optional<Box> other = network.boxServing(after.getAuthority());
		assertThat(other).as("redirect %s points at a box", after).isPresent();
		assertThat(other.get().name()).isNotEqualTo(victim.name());
		assertThat(fetch(after)).isEqualTo(uploadedBytes);
		// The ranked list no longer offers the dead box either
		JsonNode urls = getJson(network.publisher().resolve("/r" + uploadedFilePath + "?format=json"));
		assertThat(urls.toString()).doesNotContain(victim.dataAddress());
		// Its file server goes with it (with nginx, the box's watchdog stops it), rather
		// than serving until the box starts again
		await("the file server of " + victim.name() + " to stop").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> !accepts(victim.ip(), victim.dataPort()));
	}

	@Test
	@Order(10)
	void shouldLeaveNoProcessBehindWhenDown() throws Exception {
		Result result = script.run(DOWN_TIMEOUT, "down");
		down = true;
		logger.info("./dandelion down printed:\n{}", result.output());
		assertThat(result.exitCode()).as("./dandelion down exit code; it printed:%n%s", result.output()).isZero();
		// Nothing of the killed box is left either: its nginx stopped with it
		assertThat(script.processesOfTheRunDirectory()).as("processes still running from %s", script.runDirectory())
			.isEmpty();
		for (Box box : network.boxes()) {
			assertThat(ProcessHandle.of(box.pid()).filter(ProcessHandle::isAlive)).as(box.name()).isEmpty();
		}
		assertThat(script.run(Duration.ofSeconds(30), "status").output()).contains("Not running");
	}

	/** Where {@code /r/} sends a viewer for the uploaded file. */
	private URI redirect() throws IOException, InterruptedException {
		HttpResponse<Void> response = http
			.send(HttpRequest.newBuilder(network.publisher().resolve("/r" + uploadedFilePath))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(response.statusCode()).as("/r%s", uploadedFilePath).isEqualTo(302);
		return URI.create(response.headers().firstValue("Location").orElseThrow());
	}

	/** Whether something listens on an address. */
	private static boolean accepts(String ip, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(ip, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private byte[] fetch(URI uri) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
		return response.body();
	}

	private String getText(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s answered %s", uri, response.body()).isEqualTo(200);
		return response.body();
	}

	private static URI plain(URI uri) {
		return URI.create("http:" + uri.getRawSchemeSpecificPart());
	}

	private static SSLContext trusting(Path pem) throws Exception {
		KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
		store.load(null, null);
		try (InputStream in = Files.newInputStream(pem)) {
			store.setCertificateEntry("network", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	private JsonNode getJson(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s answered %s", uri, response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	/** The bytes a box's access log says it sent with status 200 for a path, if any. */
	private static Optional<Long> bytesLogged(Box box, String path) throws IOException {
		for (String line : Files.readAllLines(box.accessLog())) {
			Matcher matcher = ACCESS_LOG_REQUEST.matcher(line);
			// The logged request carries the URL's signature (?md5=…&expires=…)
			String logged = matcher.find() ? matcher.group(1).replaceFirst("\\?.*$", "") : null;
			if (path.equals(logged) && matcher.group(2).equals("200")) {
				return Optional.of(Long.parseLong(matcher.group(3)));
			}
		}
		return Optional.empty();
	}

}
