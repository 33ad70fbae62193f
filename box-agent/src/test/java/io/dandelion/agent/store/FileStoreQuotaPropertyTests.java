package io.dandelion.agent.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.dandelion.agent.store.FileStore.PreparedFile;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.SeededCases.Gen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Several publishers' writers, replacing, discarding and expiring files at a few shared
 * paths at once, never take the box or a publisher over its quota, are refused only for a
 * quota, and leave counts equal to the bytes on disk. The plan of a case (quotas,
 * operations per writer) comes from its seed; the interleaving is the threads'.
 */
@ExtendWith(SeededCases.class)
class FileStoreQuotaPropertyTests {

	private static final Set<RefusalReason> QUOTAS = Set.of(RefusalReason.QUOTA_EXCEEDED,
			RefusalReason.PUBLISHER_QUOTA_EXCEEDED);

	/** How often each quota refused a write, over all cases. */
	private static final Map<RefusalReason, AtomicInteger> refusals = new ConcurrentHashMap<>();

	@TempDir
	Path root;

	@AfterAll
	static void assertBothQuotasRefusedWrites() {
		// Not when one case is re-run alone
		if (System.getProperty(SeededCases.SEED_PROPERTY, "").isBlank()) {
			assertThat(refusals).as("refusals over all cases").containsKeys(QUOTAS.toArray(RefusalReason[]::new));
		}
	}

	@ParameterizedTest
	@MethodSource("plans")
	void shouldNeverOvershootEitherQuotaAndCountWhatIsOnDisk(Plan plan) throws Exception {
		FileStore store = new FileStore(this.root, plan.maxStorage(), plan.maxStoragePerPublisher(), 0,
				() -> Long.MAX_VALUE / 2);
		store.afterPropertiesSet();
		List<String> violations = new CopyOnWriteArrayList<>();
		CyclicBarrier start = new CyclicBarrier(plan.writers().size());
		ExecutorService threads = Executors.newFixedThreadPool(plan.writers().size());
		try {
			List<Future<?>> running = new ArrayList<>();
			for (List<Operation> operations : plan.writers()) {
				running.add(threads.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					for (Operation operation : operations) {
						run(store, operation, violations);
						checkQuotas(store, plan, operation, violations);
					}
					return null;
				}));
			}
			for (Future<?> writer : running) {
				writer.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(violations).isEmpty();
		Map<String, Long> onDisk = bytesOnDisk();
		for (String publisher : plan.publishers()) {
			assertThat(store.usedBytes(publisher)).as("bytes of %s", publisher)
				.isEqualTo(onDisk.getOrDefault(publisher, 0L));
		}
		assertThat(store.usedBytes()).isEqualTo(onDisk.values().stream().mapToLong(Long::longValue).sum());
		// A restart counts the same
		FileStore restarted = new FileStore(this.root, plan.maxStorage(), plan.maxStoragePerPublisher(), 0,
				() -> Long.MAX_VALUE / 2);
		restarted.afterPropertiesSet();
		assertThat(restarted.usedBytes()).isEqualTo(store.usedBytes());
		for (String publisher : plan.publishers()) {
			assertThat(restarted.usedBytes(publisher)).isEqualTo(store.usedBytes(publisher));
		}
	}

	static Stream<Arguments> plans() {
		return SeededCases.of(0x9a07a5L, 40, (gen) -> arguments(plan(gen)));
	}

	private static void run(FileStore store, Operation operation, List<String> violations) {
		Path target = store.resolve(operation.publisher(), operation.path());
		try {
			switch (operation.kind()) {
				case WRITE -> store.write(target, operation.size(), content(operation.size()), null);
				case DISCARD -> store.discard(store.prepare(target, operation.size(), content(operation.size()), null));
				case BAD_CONTENT -> store.write(target, operation.size(), content(operation.size()), "0".repeat(64));
				case EXPIRE -> store.deleteExpired(target, Long.MAX_VALUE);
				case DELETE -> {
					PreparedFile prepared = store.prepare(target, operation.size(), content(operation.size()), null);
					store.delete(store.commit(prepared, FileExpiry.NEVER));
				}
			}
		}
		catch (StoreRefusedException ex) {
			refusals.computeIfAbsent(ex.reason(), (reason) -> new AtomicInteger()).incrementAndGet();
			boolean expected = QUOTAS.contains(ex.reason())
					|| (operation.kind() == Kind.BAD_CONTENT && ex.reason() == RefusalReason.SHA256_MISMATCH);
			if (!expected) {
				violations.add(operation + " refused with " + ex.reason() + ": " + ex.getMessage());
			}
		}
	}

	private static void checkQuotas(FileStore store, Plan plan, Operation after, List<String> violations) {
		if (store.usedBytes() > plan.maxStorage()) {
			violations.add("after " + after + " the box holds " + store.usedBytes());
		}
		for (String publisher : plan.publishers()) {
			if (store.usedBytes(publisher) > plan.maxStoragePerPublisher()) {
				violations.add("after " + after + " " + publisher + " holds " + store.usedBytes(publisher));
			}
		}
	}

	private Map<String, Long> bytesOnDisk() throws IOException {
		Map<String, Long> bytes = new HashMap<>();
		try (Stream<Path> files = Files.walk(this.root)) {
			for (Path file : files.filter(Files::isRegularFile)
				.filter((file) -> !ExpirySidecar.isSidecar(file))
				.toList()) {
				assertThat(file.getFileName().toString()).doesNotStartWith(".dandelion-tmp");
				bytes.merge(this.root.relativize(file).getName(0).toString(), Files.size(file), Long::sum);
			}
		}
		return bytes;
	}

	private static Plan plan(Gen gen) {
		long maxStorage = gen.longBetween(200, 2000);
		// Above the box's quota too, where only that one limits a publisher
		long perPublisher = gen.longBetween(maxStorage / 4, maxStorage * 5 / 4);
		List<String> publishers = new ArrayList<>();
		for (int i = gen.intBetween(2, 3); i > 0; i--) {
			publishers.add("publisher-" + gen.string("0123456789abcdef", 32, 32));
		}
		List<List<Operation>> writers = new ArrayList<>();
		for (int i = gen.intBetween(2, 4); i > 0; i--) {
			writers.add(gen.listOf(4, 16, (g) -> {
				// Few paths, so that writers often meet at one
				String path = "/" + g.oneOf("a", "b") + "/" + g.oneOf("1.ts", "2.ts", "3.ts");
				return new Operation(g.oneOf(Kind.WRITE, Kind.WRITE, Kind.WRITE, Kind.DISCARD, Kind.BAD_CONTENT,
						Kind.EXPIRE, Kind.DELETE), g.oneOf(publishers), path, (int) g.longBetween(0, maxStorage / 2));
			}));
		}
		return new Plan(maxStorage, perPublisher, publishers, writers);
	}

	private static ByteArrayInputStream content(int length) {
		return new ByteArrayInputStream(new byte[length]);
	}

	enum Kind {

		WRITE, DISCARD, BAD_CONTENT, EXPIRE, DELETE

	}

	record Operation(Kind kind, String publisher, String path, int size) {

	}

	record Plan(long maxStorage, long maxStoragePerPublisher, List<String> publishers, List<List<Operation>> writers) {

	}

}
