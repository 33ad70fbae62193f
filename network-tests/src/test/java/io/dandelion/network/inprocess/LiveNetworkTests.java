package io.dandelion.network.inprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.testing.TestRedis;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.dandelion.network.inprocess.TestNetwork.Box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Live HLS through a real network: ffmpeg writes a stream into the publisher's watch
 * directory, the publisher publishes each finished segment to boxes, and its rewritten
 * playlist points every segment at a box that serves the exact bytes; while the stream
 * grows, the playlist holds back the newest segment until a box stores it, so it always
 * ends with a box's segment; and the signed manifest of what the boxes store.
 */
@Tag(TestRedis.TAG)
@WithTestNetwork
class LiveNetworkTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path home;

	private TestNetwork network;

	@Test
	void shouldRedirectEverySegmentOfTheLivePlaylistToABoxServingItsBytes() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		ConfigurableApplicationContext publisher = this.network.startLivePublisher(this.home.resolve("publisher"),
				watch);
		WebTestClient client = TestNetwork.client(publisher);
		Path stream = Files.createDirectories(watch.resolve("demo"));
		encode(stream);

		List<String> files = Files.readAllLines(stream.resolve("index.m3u8"))
			.stream()
			.filter((line) -> line.endsWith(".ts"))
			.toList();
		// The default (LIVE_SEGMENT_URLS: redirect): each stored segment at the
		// publisher's /r/{public name}, a URI that stays whichever box serves it
		List<String> segments = await().atMost(WAIT)
			.until(() -> segmentUris(client),
					(uris) -> uris.size() == files.size() && uris.stream().allMatch((uri) -> uri.startsWith("/r/")));
		for (int i = 0; i < segments.size(); i++) {
			assertThat(segments.get(i)).isEqualTo("/r/live/demo/" + files.get(i));
			String box = TestNetwork.redirect(client, "/live/demo/" + files.get(i), null);
			assertThat(isAt(box, tokyo, frankfurt)).as("%s redirects to %s", segments.get(i), box).isTrue();
			byte[] served = TestNetwork.fetch(box);
			assertThat(served).as(box).isEqualTo(Files.readAllBytes(stream.resolve(files.get(i))));
		}
	}

	@Test
	void shouldKeepTheWatchDirectoryOutOfPlaylistsUrlsFramesAndAnswers() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		ConfigurableApplicationContext publisher = this.network.startLivePublisher(this.home.resolve("publisher"),
				watch);
		String publisherId = publisher.getBean(NodeId.class).value();
		WebTestClient client = TestNetwork.client(publisher);
		Path stream = Files.createDirectories(watch.resolve("demo"));
		encode(stream);
		List<String> files = Files.readAllLines(stream.resolve("index.m3u8"))
			.stream()
			.filter((line) -> line.endsWith(".ts"))
			.toList();
		String local = watch.toString();
		await().atMost(WAIT)
			.until(() -> segmentUris(client),
					(uris) -> uris.size() == files.size() && uris.stream().allMatch((uri) -> uri.startsWith("/r/")));
		String playlist = client.get()
			.uri("/live/demo/index.m3u8")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(playlist).doesNotContain(local);
		for (String file : files) {
			String name = "/live/demo/" + file;
			assertThat(playlist).contains("\n/r" + name + "\n");
			String box = TestNetwork.redirect(client, name, null);
			assertThat(URI.create(box).getRawPath()).endsWith("/" + publisherId + name);
			assertThat(box).doesNotContain(local);
			assertThat(TestNetwork.isSigned(box)).as("the redirect is signed: %s", box).isTrue();
			assertThat(isAt(box, tokyo, frankfurt)).isTrue();
			for (String answer : List.of(body(client, "/api/v1/files" + name),
					body(client, "/r" + name + "?format=json"))) {
				assertThat(answer).contains("\"filePath\":\"" + name + "\"").doesNotContain(local);
			}
			assertThat(TestRedis.commands().hget(TestRedis.keys(publisherId).processedFiles(name), "MSG"))
				.isEqualTo("Success");
		}
		// The frames' FILE_PATH: each box stores the segments under their public names
		List<String> stored = new ArrayList<>();
		for (Box box : List.of(tokyo, frankfurt)) {
			Path directory = box.store().resolve(publisherId);
			if (Files.isDirectory(directory)) {
				try (Stream<Path> tree = Files.walk(directory)) {
					// The box's expiry sidecars beside the files aside
					tree.filter(Files::isRegularFile)
						.filter((file) -> !ExpirySidecar.isSidecar(file))
						.forEach((file) -> stored.add("/" + directory.relativize(file).toString()));
				}
			}
		}
		assertThat(stored).isNotEmpty().allMatch((name) -> name.startsWith("/live/demo/"), "under /live/demo/");
		assertThat(stored.stream().map((name) -> name.substring("/live/demo/".length())).distinct())
			.containsExactlyInAnyOrderElementsOf(files);
		// Nor do the publisher's Redis keys name it
		assertThat(TestRedis.commands().keys(TestRedis.keys(publisherId).prefix() + "*")).isNotEmpty()
			.noneMatch((key) -> key.contains(local));
	}

	@Test
	void shouldEndTheLivePlaylistWithASegmentABoxStoresWhileTheStreamGrows() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		// Straight box URLs: each must stay the same from one reload to the next while
		// its box lives (hls.js stops at a changed one)
		ConfigurableApplicationContext publisher = this.network.startLivePublisher(this.home.resolve("publisher"),
				watch, "publisher.live.segment-urls=box");
		Map<String, String> firstUris = new HashMap<>();
		WebTestClient client = TestNetwork.client(publisher);
		Path encoded = Files.createDirectories(this.home.resolve("encoded"));
		encode(encoded);
		List<String> names = Files.readAllLines(encoded.resolve("index.m3u8"))
			.stream()
			.filter((line) -> line.endsWith(".ts"))
			.toList();
		Path stream = Files.createDirectories(watch.resolve("live"));

		// Play the segments as a live encoder writes them: one more at a time, the
		// playlist without #EXT-X-ENDLIST
		for (int count = 1; count <= names.size(); count++) {
			Path segment = stream.resolve(names.get(count - 1));
			Files.copy(encoded.resolve(segment.getFileName()), stream.resolve(".segment.tmp"));
			Files.move(stream.resolve(".segment.tmp"), segment, StandardCopyOption.ATOMIC_MOVE);
			writeLivePlaylist(stream.resolve("index.m3u8"), names.subList(0, count));
			// Right away, before a box can have stored the new segment: it is held
			// back (or already stored), so every listed segment, the last above all,
			// points at a box
			List<String> now = segmentUris(client, "live");
			assertThat(now).as("segments listed right after segment %d was written", count)
				.hasSizeBetween(count - 1, count)
				.allMatch((uri) -> isAt(uri, tokyo, frankfurt));
			assertSameUrisAsBefore(now, firstUris);
			// Once the network has published it, it is listed last, at a box serving it
			int listed = count;
			List<String> published = await().atMost(WAIT)
				.until(() -> segmentUris(client, "live"), (uris) -> uris.size() == listed
						&& uris.stream().allMatch((uri) -> isAt(uri, tokyo, frankfurt)));
			assertSameUrisAsBefore(published, firstUris);
			// A box URL names the segment by its public name, /live/{stream}/{segment}
			assertThat(URI.create(published.get(listed - 1)).getRawPath())
				.endsWith("/live/live/" + segment.getFileName());
			assertThat(published.get(listed - 1)).doesNotContain(watch.toString());
			assertThat(TestNetwork.fetch(published.get(listed - 1))).isEqualTo(Files.readAllBytes(segment));
		}
	}

	@Test
	void shouldSignAManifestOfWhatTheBoxesStore() throws Exception {
		Box tokyo = this.network.startBox("127.0.2.10");
		Box frankfurt = this.network.startBox("127.0.3.10");
		Path watch = Files.createDirectories(this.home.resolve("hls"));
		ConfigurableApplicationContext publisher = this.network.startLivePublisher(this.home.resolve("publisher"),
				watch);
		String publisherId = publisher.getBean(NodeId.class).value();
		WebTestClient client = TestNetwork.client(publisher);
		Path stream = Files.createDirectories(watch.resolve("demo"));
		encode(stream);
		List<String> files = Files.readAllLines(stream.resolve("index.m3u8"))
			.stream()
			.filter((line) -> line.endsWith(".ts"))
			.toList();

		Map<String, Object> keys = client.get()
			.uri("/api/v1/keys")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(keys).containsEntry("ID", publisherId);
		PublicKey key = Ed25519Keys.decode((String) keys.get("PUBLIC_KEY"));

		// Once every segment is stored, the manifest lists each by its public name
		Map<String, String> expected = new LinkedHashMap<>();
		for (String file : files) {
			expected.put("/live/demo/" + file, sha256(Files.readAllBytes(stream.resolve(file))));
		}
		EntityExchangeResult<byte[]> served = await().atMost(WAIT)
			.until(() -> manifest(client, "demo"), (result) -> expected.equals(segments(result.getResponseBody())));
		byte[] body = served.getResponseBody();
		String signature = served.getResponseHeaders().getFirst("Dandelion-Signature");
		assertThat(served.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(served.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
		assertThat(verifies(key, body, signature)).as("signature of the body as served").isTrue();
		JsonNode manifest = new ObjectMapper().readTree(body);
		assertThat(manifest.get("PUBLISHER").asText()).isEqualTo(publisherId);
		assertThat(manifest.get("STREAM").asText()).isEqualTo("demo");
		assertThat(manifest.get("ISSUED_AT").asLong()).isCloseTo(System.currentTimeMillis(), within(60_000L));
		// The digests are those of the bytes the boxes really store
		for (Map.Entry<String, String> segment : expected.entrySet()) {
			List<String> stored = new ArrayList<>();
			for (Box box : List.of(tokyo, frankfurt)) {
				Path copy = box.store().resolve(publisherId).resolve(segment.getKey().substring(1));
				if (Files.isRegularFile(copy)) {
					stored.add(sha256(Files.readAllBytes(copy)));
				}
			}
			assertThat(stored).as("copies of %s", segment.getKey()).isNotEmpty().containsOnly(segment.getValue());
		}

		// Any change to the body, however small, and the signature no longer holds
		byte[] tampered = body.clone();
		int at = new String(body, StandardCharsets.UTF_8).indexOf(expected.values().iterator().next());
		tampered[at] = (byte) ((tampered[at] == '0') ? '1' : '0');
		assertThat(verifies(key, tampered, signature)).isFalse();
		assertThat(verifies(key, new String(body, StandardCharsets.UTF_8).replace("\"demo\"", "\"demo2\"")
			.getBytes(StandardCharsets.UTF_8), signature)).isFalse();
		assertThat(verifies(Ed25519Keys.generate().getPublic(), body, signature)).isFalse();

		// A stream nobody writes, and names that are no stream
		client.get()
			.uri("/live/nothing/manifest.json")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		client.get()
			.uri(URI.create("http://127.0.0.1:" + TestNetwork.port(publisher) + "/live/%2e%2e/manifest.json"))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private static EntityExchangeResult<byte[]> manifest(WebTestClient client, String stream) {
		return client.get()
			.uri("/live/" + stream + "/manifest.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult();
	}

	private static Map<String, String> segments(byte[] manifest) {
		Map<String, String> segments = new LinkedHashMap<>();
		try {
			new ObjectMapper().readTree(manifest)
				.get("SEGMENTS")
				.fields()
				.forEachRemaining((field) -> segments.put(field.getKey(), field.getValue().asText()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return segments;
	}

	private static boolean verifies(PublicKey key, byte[] body, String signature) throws GeneralSecurityException {
		Signature verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(key);
		verifier.update(body);
		return verifier.verify(Base64.getUrlDecoder().decode(signature));
	}

	private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	/** Each segment's URI is the one the first playlist that listed it gave. */
	private static void assertSameUrisAsBefore(List<String> uris, Map<String, String> firstUris) {
		for (String uri : uris) {
			String segment = uri.substring(uri.lastIndexOf('/') + 1);
			assertThat(uri).as("URI of %s on a later reload", segment)
				.isEqualTo(firstUris.computeIfAbsent(segment, (name) -> uri));
		}
	}

	private static boolean isAt(String uri, Box... boxes) {
		return Arrays.stream(boxes)
			.anyMatch((box) -> uri.startsWith("http://" + box.ip() + ":" + box.dataPort() + "/"));
	}

	/**
	 * Writes a live media playlist as encoders do: a complete file renamed into place.
	 */
	private static void writeLivePlaylist(Path playlist, List<String> segments) throws IOException {
		StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n");
		for (String segment : segments) {
			text.append("#EXTINF:1.000000,\n").append(segment).append('\n');
		}
		Path temporary = playlist.resolveSibling(".index.m3u8.tmp");
		Files.writeString(temporary, text);
		Files.move(temporary, playlist, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	private static List<String> segmentUris(WebTestClient client) {
		return segmentUris(client, "demo");
	}

	private static List<String> segmentUris(WebTestClient client, String stream) {
		String playlist = client.get()
			.uri("/live/" + stream + "/index.m3u8")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		if (playlist == null || !playlist.startsWith("#EXTM3U")) {
			return List.of();
		}
		return playlist.lines().filter((line) -> !line.isBlank() && !line.startsWith("#")).toList();
	}

	private static String body(WebTestClient client, String uri) {
		return client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Four one-second segments of ffmpeg's test pattern, as an encoder would write them.
	 */
	private static void encode(Path stream) throws IOException, InterruptedException {
		Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi",
				"-i", "testsrc=size=320x180:rate=25", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
				"-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_flags", "temp_file",
				stream.resolve("index.m3u8").toString())
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
			assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes())).isZero();
		}
		finally {
			ffmpeg.destroyForcibly();
		}
	}

}
