package io.dandelion.agent.heartbeat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import io.dandelion.agent.BoxAgentApplication;
import io.dandelion.protocol.testing.TestRedis;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A bench, not a test: runs the box with heartbeats every 100 ms to a test entrance while
 * a request per 10 ms lands in the access log, then prints heap and resident memory. Run
 * it with the heap the box is meant for, e.g.
 * {@code java -Xmx64m -cp <test classpath> io.dandelion.agent.heartbeat.HeartbeatHeapBench 60}.
 */
public final class HeartbeatHeapBench {

	private HeartbeatHeapBench() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 60;
		Path base = Files.createTempDirectory("box-bench");
		Path log = Files.createDirectories(base.resolve("run")).resolve("access.log");
		try (TestEntrance entrance = TestEntrance.start(true);
				ConfigurableApplicationContext box = new SpringApplication(BoxAgentApplication.class).run(
						"--server.port=0", "--box.base-directory=" + base, "--box.ping-entrance-freq=100ms",
						"--box.entrance-urls[0]=" + entrance.url(), "--spring.data.redis.url=" + TestRedis.url(),
						"--box.traffic.poll-interval=200ms", "--logging.level.root=WARN")) {
			long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
			long requests = 0;
			while (System.nanoTime() < end) {
				Files.writeString(log,
						"127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET /publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/tmp/"
								+ requests++ + ".ts HTTP/1.1\" 200 4432\n",
						StandardOpenOption.APPEND, StandardOpenOption.CREATE);
				Thread.sleep(10);
			}
			System.gc();
			MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
			MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
			String rss = Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.filter((line) -> line.startsWith("VmRSS") || line.startsWith("VmHWM"))
				.reduce("", (a, b) -> a + " " + b.replaceAll("\\s+", " "));
			System.out.printf(
					"%d s, %d heartbeats received, %d requests logged: heap used after GC %d KiB of max %d KiB,"
							+ " non-heap %d KiB;%s (whole JVM incl. bench, test entrance and Redis client)%n",
					seconds, entrance.received().size(), requests, heap.getUsed() / 1024, heap.getMax() / 1024,
					nonHeap.getUsed() / 1024, rss);
		}
		System.exit(0);
	}

}
