package io.dandelion.agent.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.dandelion.agent.store.ExpiryReconciler.Reconciliation;
import io.dandelion.protocol.store.ExpirySidecar;
import io.dandelion.protocol.store.FileExpiry;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The store heals itself when Redis loses its expiry records (a Redis restarted without
 * persistence, or flushed): on real files and a real Redis, whose records of this box are
 * deleted as a flush would.
 */
@Tag(TestRedis.TAG)
class ExpiryReconcilerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	final TestStore fixture = new TestStore();

	@Test
	void shouldGiveFilesTheirRecordsBackFromTheirSidecarsWhenRedisLostThem() {
		Path expiring = store("/live/1.ts", 600);
		Path kept = store("/videos/intro.mp4", 0);
		Double recorded = score(expiring);
		assertThat(recorded).isNotNull();
		assertThat(ExpirySidecar.of(expiring)).isRegularFile();
		assertThat(ExpirySidecar.of(kept)).isRegularFile();

		loseTheRecords();
		Reconciliation done = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);

		assertThat(done.files()).isEqualTo(2);
		assertThat(done.recordsRestored()).isEqualTo(1);
		assertThat(done.expiredRemoved()).isZero();
		assertThat(score(expiring)).isCloseTo(recorded, offset(0.002));
		// TTL 0 has no record, before and after: it survives the flush and the sweeper
		assertThat(score(kept)).isNull();
		new ExpirySweeper(this.fixture.expiry(), this.fixture.files(), this.fixture.scheduler()).sweep().block(TIMEOUT);
		assertThat(expiring).exists();
		assertThat(kept).exists();
		// Nothing left to do the next time
		Reconciliation again = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);
		assertThat(again.changed()).isFalse();
	}

	@Test
	void shouldRemoveFilesThatExpiredWhileTheirRecordsWereLost() throws IOException {
		Path expired = store("/live/old/1.ts", 600);
		loseTheRecords();
		// As if the file had been stored 11 minutes ago: it expired a minute ago
		Instant storedAt = Instant.now().minus(11, ChronoUnit.MINUTES);
		Files.setLastModifiedTime(expired, FileTime.from(storedAt));
		ExpirySidecar.write(expired, FileExpiry.at(storedAt.plus(10, ChronoUnit.MINUTES)));

		Reconciliation done = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);

		assertThat(done.expiredRemoved()).isEqualTo(1);
		assertThat(expired).doesNotExist();
		assertThat(ExpirySidecar.of(expired)).doesNotExist();
		// The directories it left empty go with it
		assertThat(this.fixture.root().resolve(this.fixture.publisher()).resolve("live")).doesNotExist();
		assertThat(this.fixture.files().usedBytes()).isZero();
	}

	@Test
	void shouldDropTheRecordOfAFileThatIsGone() throws IOException {
		Path kept = store("/a.ts", 600);
		Path gone = this.fixture.files().resolve(this.fixture.publisher(), "/gone.ts");
		this.fixture.expiry().expireAt(gone, Instant.now().plusSeconds(600)).block(TIMEOUT);

		Reconciliation done = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);

		assertThat(done.recordsDropped()).isEqualTo(1);
		assertThat(score(gone)).isNull();
		assertThat(score(kept)).isNotNull();
	}

	@Test
	void shouldGiveAFileWithOnlyARecordItsSidecar() throws IOException {
		// Stored by a box before sidecars: a record and no sidecar
		Path legacy = legacyFile("/legacy.ts");
		Instant expires = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
		this.fixture.expiry().expireAt(legacy, expires).block(TIMEOUT);

		Reconciliation done = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);

		assertThat(done.sidecarsWritten()).isEqualTo(1);
		assertThat(ExpirySidecar.read(legacy)).contains(FileExpiry.at(expires));
	}

	@Test
	void shouldKeepAFileWithNeitherRecordNorSidecarUnlessGivenATtl() throws IOException {
		Path fresh = legacyFile("/fresh.ts");
		Path old = legacyFile("/old.ts");
		Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));

		Reconciliation kept = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);
		assertThat(kept.unrecordedKept()).isEqualTo(2);
		assertThat(kept.changed()).isFalse();
		assertThat(fresh).exists();
		assertThat(old).exists();
		assertThat(score(fresh)).isNull();

		// With BOX_UNRECORDED_FILE_TTL, as if each had been stored with that TTL
		Reconciliation expired = reconciler(Duration.ofHours(1)).reconcile().block(TIMEOUT);
		assertThat(expired.expiredRemoved()).isEqualTo(1);
		assertThat(expired.recordsRestored()).isEqualTo(1);
		assertThat(old).doesNotExist();
		Instant expected = Files.getLastModifiedTime(fresh).toInstant().plus(1, ChronoUnit.HOURS);
		assertThat(score(fresh)).isCloseTo(expected.toEpochMilli() / 1000.0, offset(0.002));
		assertThat(ExpirySidecar.read(fresh)).contains(FileExpiry.at(expected.truncatedTo(ChronoUnit.MILLIS)));
	}

	@Test
	void shouldDeleteASidecarWhoseFileIsGone() throws IOException {
		Path file = store("/a.ts", 600);
		Files.delete(file);
		Path sidecar = ExpirySidecar.of(file);
		// A sidecar just written belongs to a write about to move its file into place
		Reconciliation young = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);
		assertThat(sidecar).exists();
		assertThat(young.recordsDropped()).isEqualTo(1);
		Files.setLastModifiedTime(sidecar, FileTime.from(Instant.now().minus(5, ChronoUnit.MINUTES)));

		Reconciliation done = reconciler(Duration.ZERO).reconcile().block(TIMEOUT);

		assertThat(done.orphanSidecarsDeleted()).isEqualTo(1);
		assertThat(sidecar).doesNotExist();
	}

	@Test
	void shouldNotLetTheSweeperDeleteAFileItsSidecarKeeps() throws IOException {
		// A record left from before the file was rewritten with TTL 0 (its removal raced
		// with a sweep, or a reconciliation restored it from the old sidecar)
		Path kept = store("/kept.ts", 0);
		this.fixture.expiry().expireAt(kept, Instant.now().minusSeconds(1)).block(TIMEOUT);

		long deleted = new ExpirySweeper(this.fixture.expiry(), this.fixture.files(), this.fixture.scheduler()).sweep()
			.block(TIMEOUT);

		assertThat(deleted).isZero();
		assertThat(kept).exists();
		assertThat(score(kept)).isNull();
	}

	private ExpiryReconciler reconciler(Duration unrecordedFileTtl) {
		return new ExpiryReconciler(this.fixture.files(), this.fixture.expiry(), this.fixture.scheduler(),
				unrecordedFileTtl);
	}

	private Path store(String filePath, int ttl) {
		byte[] content = filePath.getBytes();
		return this.fixture.queue()
			.store(() -> new FileWrite(this.fixture.files().resolve(this.fixture.publisher(), filePath), content.length,
					new ByteArrayInputStream(content), null, Duration.ofSeconds(ttl), () -> {
					}), () -> {
					})
			.block(TIMEOUT)
			.path();
	}

	private Path legacyFile(String filePath) throws IOException {
		Path file = this.fixture.files().resolve(this.fixture.publisher(), filePath);
		Files.createDirectories(file.getParent());
		Files.write(file, filePath.getBytes());
		return file;
	}

	/**
	 * What a Redis restarted without persistence, or flushed, leaves of this box's
	 * records.
	 */
	private void loseTheRecords() {
		TestRedis.commands().del(this.fixture.expireFiles());
	}

	private Double score(Path file) {
		return TestRedis.commands().zscore(this.fixture.expireFiles(), file.toString());
	}

}
