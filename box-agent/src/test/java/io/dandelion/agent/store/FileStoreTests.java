package io.dandelion.agent.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.store.FileExpiry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileStoreTests {

	@TempDir
	Path root;

	private final String publisher = NodeId.random(Role.PUBLISHER).value();

	private FileStore store;

	@BeforeEach
	void open() throws IOException {
		this.store = new FileStore(this.root, 1000, 1000, 100, () -> 1_000_000);
		this.store.afterPropertiesSet();
	}

	@Test
	void shouldWriteAndReplaceAndCountUsedBytes() throws IOException {
		Path target = this.store.resolve(this.publisher, "/a/b.ts");
		StoredFile first = this.store.write(target, 300, content(300), null);
		assertThat(first.size()).isEqualTo(300);
		assertThat(Files.size(target)).isEqualTo(300);
		this.store.write(target, 200, content(200), null);
		assertThat(Files.size(target)).isEqualTo(200);
		assertThat(this.store.usedBytes()).isEqualTo(200);
		assertNoTemporaryFiles();
	}

	@Test
	void shouldRefuseOverQuotaAndLeaveNothing() {
		String other = NodeId.random(Role.PUBLISHER).value();
		this.store.write(this.store.resolve(other, "/one"), 800, content(800), null);
		Path second = this.store.resolve(this.publisher, "/two");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> this.store.write(second, 300, content(300), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED));
		assertThat(second).doesNotExist();
		assertThat(this.store.usedBytes()).isEqualTo(800);
		assertThat(this.store.usedBytes(this.publisher)).isZero();
	}

	@Test
	void shouldFreeTheBytesOfAFileReplacedByASmallerOneOnlyOnceItIsReplaced() {
		Path target = this.store.resolve(this.publisher, "/shrinking.ts");
		this.store.write(target, 800, content(800), null);
		FileStore.PreparedFile smaller = this.store.prepare(target, 100, content(100), null);
		// The larger file is still there: its bytes are not free yet
		assertThat(this.store.usedBytes()).isEqualTo(800);
		Path other = this.store.resolve(NodeId.random(Role.PUBLISHER).value(), "/other.ts");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> this.store.write(other, 300, content(300), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED));
		this.store.discard(smaller);
		assertThat(this.store.usedBytes()).isEqualTo(800);
		this.store.commit(this.store.prepare(target, 100, content(100), null), FileExpiry.NEVER);
		assertThat(this.store.usedBytes()).isEqualTo(100);
		this.store.write(other, 300, content(300), null);
		assertThat(this.store.usedBytes()).isEqualTo(400);
	}

	@Test
	void shouldRefuseToEatIntoTheDiskReserve() throws IOException {
		FileStore nearlyFull = new FileStore(this.root, 1_000_000, 1_000_000, 100, () -> 350);
		nearlyFull.afterPropertiesSet();
		Path target = nearlyFull.resolve(this.publisher, "/big");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> nearlyFull.write(target, 300, content(300), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.DISK_RESERVE));
		assertThat(target).doesNotExist();
		assertThat(nearlyFull.usedBytes()).isZero();
	}

	@Test
	void shouldReportWriteFailedAndDeleteTheTemporaryFileWhenTheDiskFails() throws IOException {
		Path target = this.store.resolve(this.publisher, "/full.ts");
		InputStream failing = new InputStream() {

			private int read;

			@Override
			public int read() throws IOException {
				if (this.read++ > 100) {
					throw new IOException("No space left on device");
				}
				return 1;
			}

		};
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> this.store.write(target, 500, failing, null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.WRITE_FAILED));
		assertThat(target).doesNotExist();
		assertNoTemporaryFiles();
		assertThat(this.store.usedBytes()).isZero();
		// Still usable afterwards
		this.store.write(target, 10, content(10), null);
		assertThat(target).exists();
	}

	@Test
	void shouldRefuseContentWhoseSha256DiffersAndKeepTheOldFile() throws IOException {
		Path target = this.store.resolve(this.publisher, "/kept");
		this.store.write(target, 10, content(10), null);
		String wrong = "0".repeat(64);
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> this.store.write(target, 20, content(20), wrong))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.SHA256_MISMATCH));
		assertThat(Files.size(target)).isEqualTo(10);
		assertThat(this.store.usedBytes()).isEqualTo(10);
		assertNoTemporaryFiles();
	}

	@Test
	void shouldDeleteStaleTemporaryFilesAndCountStoredBytesAtStartUp() throws IOException {
		Path directory = Files.createDirectories(this.root.resolve(this.publisher).resolve("live"));
		Files.write(directory.resolve("1.ts"), new byte[123]);
		Files.write(directory.resolve(".dandelion-tmp-4f2c"), new byte[50]);
		Files.write(this.root.resolve("box-id.txt"), new byte[40]);
		FileStore restarted = new FileStore(this.root, 1000, 1000, 100, () -> 1_000_000);
		restarted.afterPropertiesSet();
		assertThat(restarted.usedBytes()).isEqualTo(123);
		assertThat(directory.resolve(".dandelion-tmp-4f2c")).doesNotExist();
	}

	@Test
	void shouldCountEachPublisherAtStartUpAndHoldThemToTheirQuota() throws IOException {
		String other = NodeId.random(Role.PUBLISHER).value();
		Path mine = Files.createDirectories(this.root.resolve(this.publisher).resolve("live/hd"));
		Files.write(mine.resolve("1.ts"), new byte[300]);
		Files.write(mine.resolve("2.ts"), new byte[350]);
		Files.write(mine.resolve(".dandelion-tmp-1"), new byte[90]);
		Files.write(Files.createDirectories(this.root.resolve(other)).resolve("a.ts"), new byte[100]);
		// Not a publisher's: not counted
		Files.write(Files.createDirectories(this.root.resolve("run")).resolve("access.log"), new byte[70]);
		Files.createDirectories(this.root.resolve(NodeId.random(Role.PUBLISHER).value()));
		FileStore restarted = new FileStore(this.root, 1000, 600, 100, () -> 1_000_000);
		restarted.afterPropertiesSet();
		assertThat(restarted.usedBytes()).isEqualTo(750);
		assertThat(restarted.usedBytes(this.publisher)).isEqualTo(650);
		assertThat(restarted.usedBytes(other)).isEqualTo(100);
		// Over its quota since a restart with a lower one: nothing more, but it
		// may shrink
		Path more = restarted.resolve(this.publisher, "/live/hd/3.ts");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> restarted.write(more, 1, content(1), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.PUBLISHER_QUOTA_EXCEEDED));
		restarted.write(restarted.resolve(this.publisher, "/live/hd/1.ts"), 100, content(100), null);
		assertThat(restarted.usedBytes(this.publisher)).isEqualTo(450);
		restarted.write(restarted.resolve(other, "/b.ts"), 200, content(200), null);
		assertThat(restarted.usedBytes()).isEqualTo(750);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldLogThePublishersAtStartUpAndWarnOfAPublisherQuotaAboveTheBoxQuota(CapturedOutput output)
			throws IOException {
		Files.write(Files.createDirectories(this.root.resolve(this.publisher)).resolve("a.ts"), new byte[300]);
		Files.write(Files.createDirectories(this.root.resolve(NodeId.random(Role.PUBLISHER).value())).resolve("b.ts"),
				new byte[200]);
		new FileStore(this.root, 1000, 1001, 100, () -> 1_000_000).afterPropertiesSet();
		assertThat(output)
			.contains("holds 500 bytes of 2 publishers (limit 1000, 1001 per publisher, the most held " + "by one 300)")
			.contains("BOX_MAX_STORAGE_PER_PUBLISHER (1001 bytes) is above BOX_MAX_STORAGE (1000 bytes)");
	}

	@Test
	void shouldRefuseAPublisherOverItsQuotaWhileOthersStillStore() throws IOException {
		FileStore store = new FileStore(this.root, 1000, 600, 100, () -> 1_000_000);
		store.afterPropertiesSet();
		String other = NodeId.random(Role.PUBLISHER).value();
		store.write(store.resolve(this.publisher, "/one"), 500, content(500), null);
		Path two = store.resolve(this.publisher, "/two");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> store.write(two, 200, content(200), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.PUBLISHER_QUOTA_EXCEEDED))
			.withMessageContaining(this.publisher)
			.withMessageContaining("holds 500 bytes")
			.withMessageContaining("quota of 600 bytes");
		assertThat(two).doesNotExist();
		assertNoTemporaryFiles();
		// Exactly up to the quota still fits
		store.write(two, 100, content(100), null);
		store.write(store.resolve(other, "/one"), 400, content(400), null);
		assertThat(store.usedBytes(this.publisher)).isEqualTo(600);
		assertThat(store.usedBytes(other)).isEqualTo(400);
		assertThat(store.usedBytes()).isEqualTo(1000);
		// Within its own quota, but the box is full
		Path three = store.resolve(other, "/three");
		assertThatExceptionOfType(StoreRefusedException.class).isThrownBy(() -> store.write(three, 1, content(1), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED));
		assertThat(store.usedBytes(other)).isEqualTo(400);
		assertThat(store.usedBytes()).isEqualTo(1000);
	}

	@Test
	void shouldCountOnlyTheDifferenceWhenAPublisherReplacesAFile() throws IOException {
		FileStore store = new FileStore(this.root, 1000, 600, 100, () -> 1_000_000);
		store.afterPropertiesSet();
		Path target = store.resolve(this.publisher, "/live/1.ts");
		store.write(target, 500, content(500), null);
		store.write(target, 600, content(600), null);
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> store.write(target, 601, content(601), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.PUBLISHER_QUOTA_EXCEEDED));
		assertThat(target).hasSize(600);
		store.write(target, 100, content(100), null);
		assertThat(store.usedBytes(this.publisher)).isEqualTo(100);
		assertThat(store.usedBytes()).isEqualTo(100);
	}

	@Test
	void shouldGiveAPublisherItsBytesBackOnExpiryDeletionAndFailedWrites() throws IOException {
		FileStore store = new FileStore(this.root, 1000, 600, 100, () -> 1_000_000);
		store.afterPropertiesSet();
		Path expiring = store.resolve(this.publisher, "/a/expiring.ts");
		store.write(expiring, 300, content(300), null);
		StoredFile deleted = store.write(store.resolve(this.publisher, "/deleted.ts"), 300, content(300), null);
		assertThat(store.usedBytes(this.publisher)).isEqualTo(600);
		assertThat(store.deleteExpired(expiring, System.currentTimeMillis() + 1000)).isTrue();
		assertThat(store.usedBytes(this.publisher)).isEqualTo(300);
		store.delete(deleted);
		assertThat(store.usedBytes(this.publisher)).isZero();
		assertThat(store.usedBytes()).isZero();
		// A refused content and a prepared file that is discarded give back what
		// they took
		Path target = store.resolve(this.publisher, "/b.ts");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> store.write(target, 600, content(600), "0".repeat(64)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.SHA256_MISMATCH));
		FileStore.PreparedFile prepared = store.prepare(target, 600, content(600), null);
		assertThat(store.usedBytes(this.publisher)).isEqualTo(600);
		store.discard(prepared);
		assertThat(store.usedBytes(this.publisher)).isZero();
		assertThat(store.usedBytes()).isZero();
		// The whole quota is free again
		store.write(target, 600, content(600), null);
		assertNoTemporaryFiles();
	}

	@Test
	void shouldCountWhatIsReallyReplacedWhenTwoWritesOfOnePathInterleave() {
		Path target = this.store.resolve(this.publisher, "/same.ts");
		FileStore.PreparedFile first = this.store.prepare(target, 100, content(100), null);
		FileStore.PreparedFile second = this.store.prepare(target, 150, content(150), null);
		assertThat(this.store.usedBytes(this.publisher)).isEqualTo(250);
		this.store.commit(first, FileExpiry.NEVER);
		this.store.commit(second, FileExpiry.NEVER);
		assertThat(target).hasSize(150);
		assertThat(this.store.usedBytes(this.publisher)).isEqualTo(150);
		assertThat(this.store.usedBytes()).isEqualTo(150);
	}

	@Test
	void shouldCountAReplacedFileThatExpiredBeforeItsReplacementWasMovedIntoPlace() throws IOException {
		FileStore store = new FileStore(this.root, 1000, 300, 100, () -> 1_000_000);
		store.afterPropertiesSet();
		Path target = store.resolve(this.publisher, "/replaced.ts");
		store.write(target, 100, content(100), null);
		FileStore.PreparedFile grown = store.prepare(target, 150, content(150), null);
		assertThat(store.deleteExpired(target, System.currentTimeMillis() + 1000)).isTrue();
		store.commit(grown, FileExpiry.at(Instant.now()));
		assertThat(store.usedBytes(this.publisher)).isEqualTo(150);
		// Again, but the publisher filled its quota meanwhile: the replacement no
		// longer fits
		FileStore.PreparedFile late = store.prepare(target, 200, content(200), null);
		assertThat(store.deleteExpired(target, System.currentTimeMillis() + 1000)).isTrue();
		store.write(store.resolve(this.publisher, "/filler.ts"), 150, content(150), null);
		assertThat(store.usedBytes(this.publisher)).isEqualTo(200);
		assertThatExceptionOfType(StoreRefusedException.class).isThrownBy(() -> store.commit(late, FileExpiry.NEVER))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.PUBLISHER_QUOTA_EXCEEDED));
		assertThat(target).doesNotExist();
		assertThat(store.usedBytes(this.publisher)).isEqualTo(150);
		assertThat(store.usedBytes()).isEqualTo(150);
		assertNoTemporaryFiles();
	}

	@Test
	void shouldDeleteExpiredFileAndPruneEmptyDirectories() {
		Path target = this.store.resolve(this.publisher, "/a/b/c.ts");
		this.store.write(target, 10, content(10), null);
		assertThat(this.store.deleteExpired(target, System.currentTimeMillis() + 1000)).isTrue();
		assertThat(this.root.resolve(this.publisher).resolve("a")).doesNotExist();
		assertThat(this.root.resolve(this.publisher)).isDirectory();
		assertThat(this.store.usedBytes()).isZero();
	}

	@Test
	void shouldKeepFileRewrittenAfterItsExpiry() throws IOException {
		Path target = this.store.resolve(this.publisher, "/again.ts");
		this.store.write(target, 10, content(10), null);
		long expiredAt = System.currentTimeMillis() - 5000;
		Files.setLastModifiedTime(target, FileTime.fromMillis(expiredAt + 1000));
		assertThat(this.store.deleteExpired(target, expiredAt)).isFalse();
		assertThat(target).exists();
	}

	@Test
	void shouldNotDeleteAnythingOutsideThePublisherDirectories() throws IOException {
		Path idFile = Files.writeString(this.root.resolve("box-id.txt"), "box");
		Path outside = Files.writeString(this.root.resolveSibling(this.root.getFileName() + "-outside.txt"), "x");
		try {
			long later = System.currentTimeMillis() + 10_000;
			assertThat(this.store.deleteExpired(idFile, later)).isFalse();
			assertThat(this.store.deleteExpired(outside, later)).isFalse();
			assertThat(this.store.deleteExpired(this.root.resolve(this.publisher).resolve("../box-id.txt"), later))
				.isFalse();
			assertThat(idFile).exists();
			assertThat(outside).exists();
		}
		finally {
			Files.deleteIfExists(outside);
		}
	}

	private static InputStream content(int length) {
		return new ByteArrayInputStream(new byte[length]);
	}

	private void assertNoTemporaryFiles() {
		try (Stream<Path> files = Files.walk(this.root)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.startsWith(".dandelion-tmp"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
