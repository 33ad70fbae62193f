package io.dandelion.agent.traffic;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestProperties;
import io.dandelion.protocol.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(TestRedis.TAG)
class AccessLogTailerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final NodeId nodeId = NodeId.random(Role.BOX);

	private final RedisKeys keys = TestRedis.keys(this.nodeId.value());

	private Path log;

	private TrafficRepository repository;

	private ServedBytes served;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void setUp() {
		this.log = this.directory.resolve("run").resolve("access.log");
		this.repository = new TrafficRepository(TestRedis.template(), TestRedis.keys(this.nodeId.value()));
		this.served = new ServedBytes();
	}

	@AfterEach
	void deleteKeys() {
		TestRedis.deleteKeysWithPrefix(this.keys.prefix());
	}

	@Test
	void shouldTurnServedRequestsIntoPendingEntries() throws IOException {
		append(line("/a.ts", 200, 100), line("/missing.ts", 404, 50), line("/b.ts", 206, 30));
		AccessLogTailer tailer = tailer(100);
		assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(2);
		List<TrafficEntry> pending = this.repository.pending(10).collectList().block(TIMEOUT);
		assertThat(pending).extracting(TrafficEntry::url).containsExactly("/a.ts", "/b.ts");
		assertThat(pending.get(0).datetime()).isEqualTo("25/Nov/2026:17:20:01 +0000");
		assertThat(pending.get(0).logId()).matches("log-[0-9a-f]{32}");
		// The original's hash layout, never expiring
		Map<String, String> hash = TestRedis.commands().hgetall(this.keys.trafficFlow(pending.get(0).logId()));
		assertThat(hash).containsEntry("url", "/a.ts").containsEntry("status", "200").containsEntry("size", "100");
		assertThat(TestRedis.commands().ttl(this.keys.trafficFlow(pending.get(0).logId()))).isEqualTo(-1);
		assertThat(this.served.total()).isEqualTo(180);
		// Nothing new: nothing counted again
		assertThat(tailer.poll().block(TIMEOUT)).isZero();
		assertThat(this.repository.pendingCount().block(TIMEOUT)).isEqualTo(2);
	}

	@Test
	void shouldWaitForTheRestOfALineAndForTheLogToAppear() throws IOException {
		AccessLogTailer tailer = tailer(100);
		assertThat(tailer.poll().block(TIMEOUT)).isZero();
		Files.createDirectories(this.log.getParent());
		Files.writeString(this.log, "127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET /a.ts HTTP/1.1\" 200");
		assertThat(tailer.poll().block(TIMEOUT)).isZero();
		Files.writeString(this.log, " 100\n", StandardOpenOption.APPEND);
		assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(1);
		assertThat(this.repository.pending(10).collectList().block(TIMEOUT)).extracting(TrafficEntry::size)
			.containsExactly(100L);
	}

	@Test
	void shouldCountEachLineOnceAcrossRotationAndTruncation() throws IOException {
		AccessLogTailer tailer = tailer(1000);
		append(line("/1.ts", 200, 1), line("/2.ts", 200, 1));
		assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(2);
		// Rotation: the server writes a last line to the old file, which is then renamed
		append(line("/3.ts", 200, 1));
		Files.move(this.log, this.directory.resolve("run").resolve("access.log.1"));
		append(line("/4.ts", 200, 1));
		assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(2);
		assertThat(this.directory.resolve("run").resolve("access.log.1")).exists();
		// Truncation in place (copytruncate), then new lines
		append(line("/5.ts", 200, 1));
		assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(1);
		try (FileChannel channel = FileChannel.open(this.log, StandardOpenOption.WRITE)) {
			channel.truncate(0);
		}
		append(line("/6.ts", 200, 1));
		assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(1);
		assertThat(tailer.poll().block(TIMEOUT)).isZero();
		assertThat(this.repository.pending(100).collectList().block(TIMEOUT)).extracting(TrafficEntry::url)
			.containsExactly("/1.ts", "/2.ts", "/3.ts", "/4.ts", "/5.ts", "/6.ts");
		assertThat(this.log).exists();
	}

	@Test
	void shouldNoticeALogTruncatedAndRefilledBeforeItWasRead() throws IOException {
		append(line("/1.ts", 200, 1));
		assertThat(tailer(100).poll().block(TIMEOUT)).isEqualTo(1);
		// copytruncate, then a line of the same length, all while the box was down
		try (FileChannel channel = FileChannel.open(this.log, StandardOpenOption.WRITE)) {
			channel.truncate(0);
		}
		append(line("/2.ts", 200, 1));
		AccessLogTailer restarted = tailer(100);
		assertThat(restarted.poll().block(TIMEOUT)).isEqualTo(1);
		// and again while it runs
		try (FileChannel channel = FileChannel.open(this.log, StandardOpenOption.WRITE)) {
			channel.truncate(0);
		}
		append(line("/3.ts", 200, 1));
		assertThat(restarted.poll().block(TIMEOUT)).isEqualTo(1);
		assertThat(this.repository.pending(100).collectList().block(TIMEOUT)).extracting(TrafficEntry::url)
			.containsExactly("/1.ts", "/2.ts", "/3.ts");
	}

	@Test
	void shouldResumeWhereTheLastRunStopped() throws IOException {
		append(line("/1.ts", 200, 1), line("/2.ts", 200, 1));
		assertThat(tailer(100).poll().block(TIMEOUT)).isEqualTo(2);
		append(line("/3.ts", 200, 1));
		AccessLogTailer restarted = tailer(100);
		assertThat(restarted.poll().block(TIMEOUT)).isEqualTo(1);
		assertThat(this.repository.pending(100).collectList().block(TIMEOUT)).extracting(TrafficEntry::url)
			.containsExactly("/1.ts", "/2.ts", "/3.ts");
	}

	@Test
	void shouldStartAtTheBeginningOfANewLogAfterARestart() throws IOException {
		append(line("/1.ts", 200, 1), line("/2.ts", 200, 1), line("/3.ts", 200, 1));
		assertThat(tailer(100).poll().block(TIMEOUT)).isEqualTo(3);
		// Rotated while the box was down: the new file is shorter than the saved offset
		Files.move(this.log, this.directory.resolve("run").resolve("access.log.1"));
		append(line("/4.ts", 200, 1));
		assertThat(tailer(100).poll().block(TIMEOUT)).isEqualTo(1);
		assertThat(this.repository.pending(100).collectList().block(TIMEOUT)).extracting(TrafficEntry::url)
			.containsExactly("/1.ts", "/2.ts", "/3.ts", "/4.ts");
	}

	@Test
	void shouldDropTheOldestEntriesBeyondTheCap() throws IOException {
		append(line("/1.ts", 200, 1), line("/2.ts", 200, 1), line("/3.ts", 200, 1));
		assertThat(tailer(2).poll().block(TIMEOUT)).isEqualTo(3);
		assertThat(this.meters.get("dandelion.box.traffic.entries.dropped").counter().count()).isEqualTo(1);
		List<TrafficEntry> pending = this.repository.pending(100).collectList().block(TIMEOUT);
		assertThat(pending).extracting(TrafficEntry::url).containsExactly("/2.ts", "/3.ts");
		assertThat(TestRedis.commands().exists(this.keys.trafficFlow(pending.get(0).logId()))).isEqualTo(1);
	}

	@Test
	void shouldKeepTheLogsOrderAcrossReadsInTheSameMillisecond() throws IOException {
		// Reads a line at a time back to back: on loopback several fall in
		// one millisecond
		AccessLogTailer tailer = tailer(1000);
		List<String> urls = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			urls.add("/" + i + ".ts");
			append(line(urls.get(i), 200, 1));
			assertThat(tailer.poll().block(TIMEOUT)).isEqualTo(1);
		}
		assertThat(this.repository.pending(1000).collectList().block(TIMEOUT)).extracting(TrafficEntry::url)
			.containsExactlyElementsOf(urls);
	}

	@Test
	void shouldReadLongBacklogsInSteps() throws IOException {
		String[] lines = new String[1234];
		for (int i = 0; i < lines.length; i++) {
			lines[i] = line("/" + i + ".ts", 200, 1);
		}
		append(lines);
		assertThat(tailer(10_000).poll().block(TIMEOUT)).isEqualTo(1234);
		assertThat(this.repository.pendingCount().block(TIMEOUT)).isEqualTo(1234);
		assertThat(this.repository.pending(1).blockFirst(TIMEOUT).url()).isEqualTo("/0.ts");
	}

	private AccessLogTailer tailer(int maxPending) {
		return new AccessLogTailer(properties(this.directory, maxPending), this.repository, this.served,
				new AgentMetrics(this.meters));
	}

	static BoxProperties properties(Path baseDirectory, int maxPending) {
		return TestProperties.bind("box", BoxProperties.class, Map.of("box.base-directory", baseDirectory.toString(),
				"box.traffic.max-pending", Integer.toString(maxPending)));
	}

	private void append(String... lines) throws IOException {
		Files.createDirectories(this.log.getParent());
		Files.writeString(this.log, String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	private static String line(String url, int status, long size) {
		return "127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET " + url + " HTTP/1.1\" " + status + " " + size + "\n";
	}

}
