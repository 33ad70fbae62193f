package io.dandelion.agent.traffic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.agent.metrics.AgentMetrics;
import io.dandelion.protocol.TrafficEntry;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(TestRedis.TAG)
class TrafficOutboxTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final NodeId nodeId = NodeId.random(Role.BOX);

	private TrafficRepository repository;

	private TrafficOutbox outbox;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void setUp() throws IOException {
		this.repository = new TrafficRepository(TestRedis.template(), TestRedis.keys(this.nodeId.value()));
		this.outbox = new TrafficOutbox(this.repository, AccessLogTailerTests.properties(this.directory, 100),
				new AgentMetrics(this.meters));
		Path log = Files.createDirectories(this.directory.resolve("run")).resolve("access.log");
		Files.writeString(log, "127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET /1.ts HTTP/1.1\" 200 10\n"
				+ "127.0.0.1 [25/Nov/2026:17:20:02 +0000] \"GET /2.ts HTTP/1.1\" 200 20\n");
		new AccessLogTailer(AccessLogTailerTests.properties(this.directory, 100), this.repository, new ServedBytes(),
				new AgentMetrics(new SimpleMeterRegistry()))
			.poll()
			.block(TIMEOUT);
	}

	@AfterEach
	void deleteKeys() {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(this.nodeId.value()).prefix());
	}

	@Test
	void shouldHandTheEntriesToOneExchangeAtATime() {
		TrafficBatch first = this.outbox.claim().block(TIMEOUT);
		assertThat(first.entries()).extracting(TrafficEntry::url).containsExactly("/1.ts", "/2.ts");
		assertThat(this.meters.get("dandelion.box.traffic.entries.pending").gauge().value()).isEqualTo(2);
		assertThat(this.outbox.claim().block(TIMEOUT)).isEqualTo(TrafficBatch.NONE);
		this.outbox.release(first);
		assertThat(this.outbox.claim().block(TIMEOUT).entries()).hasSize(2);
	}

	@Test
	void shouldKeepTheEntriesUntilAnEntranceAccepted() {
		TrafficBatch batch = this.outbox.claim().block(TIMEOUT);
		this.outbox.complete(batch, false).block(TIMEOUT);
		TrafficBatch again = this.outbox.claim().block(TIMEOUT);
		assertThat(again.entries()).isEqualTo(batch.entries());
		this.outbox.complete(again, true).block(TIMEOUT);
		assertThat(this.repository.pendingCount().block(TIMEOUT)).isZero();
		assertThat(TestRedis.commands()
			.exists(TestRedis.keys(this.nodeId.value()).trafficFlow(batch.entries().get(0).logId()))).isZero();
		assertThat(this.outbox.claim().block(TIMEOUT)).isEqualTo(TrafficBatch.NONE);
	}

}
