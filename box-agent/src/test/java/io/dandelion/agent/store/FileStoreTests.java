package io.dandelion.agent.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileStoreTests {

	@TempDir
	Path root;

	private final String publisher = NodeId.random(Role.PUBLISHER).value();

	private FileStore store;

	@BeforeEach
	void open() throws IOException {
		this.store = new FileStore(this.root, 1000, 100, () -> 1_000_000);
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
		this.store.write(this.store.resolve(this.publisher, "/one"), 800, content(800), null);
		Path second = this.store.resolve(this.publisher, "/two");
		assertThatExceptionOfType(StoreRefusedException.class)
			.isThrownBy(() -> this.store.write(second, 300, content(300), null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RefusalReason.QUOTA_EXCEEDED));
		assertThat(second).doesNotExist();
		assertThat(this.store.usedBytes()).isEqualTo(800);
	}

	@Test
	void shouldRefuseToEatIntoTheDiskReserve() throws IOException {
		FileStore nearlyFull = new FileStore(this.root, 1_000_000, 100, () -> 350);
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
		FileStore restarted = new FileStore(this.root, 1000, 100, () -> 1_000_000);
		restarted.afterPropertiesSet();
		assertThat(restarted.usedBytes()).isEqualTo(123);
		assertThat(directory.resolve(".dandelion-tmp-4f2c")).doesNotExist();
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
