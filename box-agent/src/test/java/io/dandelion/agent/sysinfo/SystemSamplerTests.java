package io.dandelion.agent.sysinfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.DoubleStream;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.store.FileStore;
import io.dandelion.agent.traffic.ServedBytes;
import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.testing.TestProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SystemSamplerTests {

	@TempDir
	Path directory;

	@Test
	void shouldReportSaneFigures() throws Exception {
		Path store = this.directory.resolve("store-not-created-yet");
		SystemSampler sampler = new SystemSampler(properties(store), new ServedBytes(),
				new FileStore(properties(store)));
		sampler.measure();
		// Burn a little CPU so that the second sample has ticks to split
		long end = System.nanoTime() + 50_000_000;
		double sink = 0;
		while (System.nanoTime() < end) {
			sink += Math.sqrt(sink + 1);
		}
		assertThat(sink).isPositive();
		StepVerifier.create(sampler.sample()).assertNext((metrics) -> {
			double[] cpu = { metrics.cpuUser(), metrics.cpuSystem(), metrics.cpuNice(), metrics.cpuIdle(),
					metrics.cpuIoWait(), metrics.cpuIrq(), metrics.cpuSoftIrq() };
			for (double percent : cpu) {
				assertThat(percent).isBetween(0.0, 100.0);
			}
			// Steal time is not reported, as in the original; on a busy VM it
			// takes a few %
			assertThat(DoubleStream.of(cpu).sum()).isCloseTo(100.0, within(5.0));
			assertThat(metrics.cpuCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
			assertThat(metrics.memoryTotalKib()).isPositive();
			assertThat(metrics.memoryAvailableKib()).isPositive().isLessThanOrEqualTo(metrics.memoryTotalKib());
			assertThat(metrics.loadAverage1()).isNotNegative();
			assertThat(metrics.uplinkMbps()).isEqualTo(20.0);
			assertThat(metrics.servedBytesPerSecond()).isZero();
			assertThat(metrics.networkReceivedBytes()).isNotNegative();
			assertThat(metrics.storeUsedBytes()).isZero();
			assertThat(metrics.storeMaxBytes()).isEqualTo(1024L * 1024 * 1024);
		}).expectComplete().verify(Duration.ofSeconds(10));
	}

	@Test
	void shouldMeasureTheFileSystemOfTheStore() throws Exception {
		BoxMetrics metrics = new SystemSampler(properties(this.directory), new ServedBytes(),
				new FileStore(properties(this.directory)))
			.measure();
		double gib = 1024.0 * 1024 * 1024;
		assertThat(metrics.diskTotalGib()).isCloseTo(Files.getFileStore(this.directory).getTotalSpace() / gib,
				within(0.01));
		assertThat(metrics.diskAvailableGib()).isPositive().isLessThanOrEqualTo(metrics.diskTotalGib());
		assertThat(metrics.storeUsedBytes()).isZero();
		assertThat(metrics.storeMaxBytes()).isEqualTo(1024L * 1024 * 1024);
	}

	private static BoxProperties properties(Path store) {
		return TestProperties.bind("box", BoxProperties.class,
				Map.of("box.base-directory", store.toString(), "box.sysinfo.uplink-mbps", "20"));
	}

}
