package io.dandelion.network;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.network.DandelionScript.Result;
import io.dandelion.network.RunningNetwork.Box;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two processes of one entrance ({@code ./dandelion up --entrances 2}: the same ID and
 * signing key, one Redis). The first, which every box heartbeats to, is killed (-9) while
 * readers poll both: the boxes fail over to the second, none of them expires wrongly for
 * longer than the boxes' expiry time, and the publisher keeps publishing to them on the
 * tickets of the second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntranceReplicasIT {

	private static final Logger logger = LoggerFactory.getLogger(EntranceReplicasIT.class);

	private static final int BOXES = 2;

	/** {@code ENTRANCE_EXPIRE_BOX_TIME} of the networks {@code ./dandelion up} starts. */
	private static final Duration EXPIRE_BOX_TIME = Duration.ofSeconds(30);

	private static final int READERS = 4;

	private static final int MAX_READS_PER_READER = 20_000;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	private DandelionScript script;

	private RunningNetwork network;

	@RegisterExtension
	final TestWatcher failureReport = new TestWatcher() {
		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			if (script != null) {
				NetworkReport.print(script.runDirectory(), logger);
			}
		}
	};

	@BeforeAll
	void startTheNetwork() throws Exception {
		this.script = new DandelionScript(Path.of("target", "network-run-replicas"));
		this.script.run(Duration.ofMinutes(2), "down");
		Result up = this.script.run(Duration.ofMinutes(6), "up", "--boxes", String.valueOf(BOXES), "--entrances", "2",
				"--no-build");
		logger.info("./dandelion up --entrances 2 printed:\n{}", up.output());
		assertThat(up.exitCode()).as("./dandelion up exit code; it printed:%n%s", up.output()).isZero();
		assertThat(up.output()).contains("1 entrance (and 1 replica(s))", "entrance-2");
		this.network = RunningNetwork.of(this.script.runDirectory());
	}

	@AfterAll
	void stopTheNetwork() throws Exception {
		if (this.script != null) {
			logger.info("./dandelion down printed:\n{}", this.script.run(Duration.ofMinutes(2), "down").output());
		}
	}

	@Test
	void shouldKeepEveryBoxWhenTheEntranceItHeartbeatsIsKilled() throws Exception {
		URI first = this.network.entrance();
		URI second = this.network.entranceReplica(2);
		Set<String> boxes = new HashSet<>(this.network.boxes().stream().map(Box::id).toList());
		// One registry, whichever process is asked
		await("every box at both processes").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> listedBoxes(first).containsAll(boxes) && listedBoxes(second).containsAll(boxes));
		for (Box box : this.network.boxes()) {
			assertThat(Files.readString(this.network.runDirectory().resolve("logs").resolve(box.name() + ".log")))
				.as("%s found the second URL to be a replica", box.name())
				.contains("is a replica of");
		}

		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger readsOfTheSecond = new AtomicInteger();
		AtomicInteger failedReadsOfTheSecond = new AtomicInteger();
		ExecutorService readers = Executors.newFixedThreadPool(READERS);
		try {
			List<Future<?>> load = IntStream.range(0, READERS)
				.<Future<?>>mapToObj((reader) -> readers
					.submit(() -> read(first, second, stop, readsOfTheSecond, failedReadsOfTheSecond)))
				.toList();
			Thread.sleep(2000);

			ProcessHandle entrance = ProcessHandle.of(this.network.pidOf("entrance")).orElseThrow();
			assertThat(entrance.destroyForcibly()).isTrue();
			Instant killed = Instant.now();
			logger.info("Killed the entrance (pid {}) under load", entrance.pid());

			// Longer than a silent box takes to expire: every box stays listed at every
			// look
			Instant until = killed.plus(EXPIRE_BOX_TIME).plusSeconds(5);
			int looks = 0;
			while (Instant.now().isBefore(until)) {
				assertThat(listedBoxes(second))
					.as("boxes at the second process %s after the kill", Duration.between(killed, Instant.now()))
					.containsAll(boxes);
				looks++;
				Thread.sleep(500);
			}
			assertThat(looks).isGreaterThan(40);
			for (Box box : this.network.boxes()) {
				assertThat(Files.readString(this.network.runDirectory().resolve("logs").resolve(box.name() + ".log")))
					.as("%s took its heartbeats to the second process", box.name())
					.contains("takes the heartbeats");
			}

			// The publisher searches the second and publishes on its tickets
			byte[] bytes = new byte[64 * 1024];
			new Random(14).nextBytes(bytes);
			String name = "/replicas/" + Instant.now().toEpochMilli() + ".bin";
			HttpResponse<String> put = this.http
				.send(HttpRequest.newBuilder(this.network.publisher().resolve("/api/v1/files" + name + "?ttl=600"))
					.timeout(Duration.ofSeconds(20))
					.header("Authorization", "Bearer " + this.network.apiToken())
					.PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(put.statusCode()).as("PUT answered %s", put.body()).isEqualTo(202);
			await("the upload stored on a box").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					JsonNode state = getJson(this.network.publisher().resolve("/api/v1/files" + name));
					return "stored".equals(state.path("state").asText()) && state.path("replicas").size() >= 1;
				});

			stop.set(true);
			for (Future<?> reader : load) {
				reader.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			stop.set(true);
			readers.shutdownNow();
		}
		logger.info("Readers asked the second process {} times, {} failed", readsOfTheSecond.get(),
				failedReadsOfTheSecond.get());
		assertThat(readsOfTheSecond.get()).as("reads of the second process").isGreaterThan(100);
		assertThat(failedReadsOfTheSecond.get()).as("failed reads of the second process").isZero();
	}

	/**
	 * The load: box listings from both processes, bounded in count; the first's fail once
	 * it is killed.
	 */
	private void read(URI first, URI second, AtomicBoolean stop, AtomicInteger readsOfTheSecond,
			AtomicInteger failedReadsOfTheSecond) {
		for (int k = 0; k < MAX_READS_PER_READER && !stop.get(); k++) {
			boolean toSecond = (k % 2 == 1);
			try {
				listedBoxes(toSecond ? second : first);
				if (toSecond) {
					readsOfTheSecond.incrementAndGet();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				if (toSecond) {
					readsOfTheSecond.incrementAndGet();
					failedReadsOfTheSecond.incrementAndGet();
					logger.warn("A read of the second process failed: {}", ex.toString());
				}
				else {
					// The killed one refuses at once: no busy loop
					pause();
				}
			}
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Set<String> listedBoxes(URI entrance) throws Exception {
		Set<String> ids = new HashSet<>();
		for (JsonNode box : getJson(entrance.resolve("/dandelion/api/v1/boxes"))) {
			ids.add(box.path("id").asText());
		}
		return ids;
	}

	private JsonNode getJson(URI uri) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s answered %s", uri, response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

}
