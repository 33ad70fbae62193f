package io.dandelion.protocol.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ExpirySidecarTests {

	private static final String PUBLISHER = "publisher-0123456789abcdef0123456789abcdef";

	@TempDir
	Path root;

	@Test
	void shouldKeepTheExpiryBesideTheFileUnderAReservedName() throws IOException {
		Path file = StoragePaths.resolve(this.root, PUBLISHER, "/live/12.ts");
		Path sidecar = ExpirySidecar.of(file);
		assertThat(sidecar.getParent()).isEqualTo(file.getParent());
		assertThat(sidecar.getFileName().toString()).startsWith(StoragePaths.RESERVED_PREFIX)
			.startsWith(ExpirySidecar.PREFIX)
			.hasSize(ExpirySidecar.PREFIX.length() + 32);
		assertThat(ExpirySidecar.isSidecar(sidecar)).isTrue();
		assertThat(ExpirySidecar.isSidecar(file)).isFalse();
		// No publisher can name a file as a sidecar is named
		String name = "/live/" + sidecar.getFileName();
		assertThatExceptionOfType(PathRefusedException.class)
			.isThrownBy(() -> StoragePaths.resolve(this.root, PUBLISHER, name));
	}

	@Test
	void shouldGiveEveryNameItsOwnSidecarWhateverItsLength() {
		Path directory = this.root.resolve(PUBLISHER);
		Path longest = directory.resolve("x".repeat(StoragePaths.MAX_SEGMENT_BYTES));
		assertThat(ExpirySidecar.of(longest).getFileName().toString().length())
			.isLessThanOrEqualTo(StoragePaths.MAX_SEGMENT_BYTES);
		assertThat(ExpirySidecar.of(directory.resolve("a.ts")))
			.isNotEqualTo(ExpirySidecar.of(directory.resolve("b.ts")));
	}

	@Test
	void shouldReadBackWhatWasWritten() throws IOException {
		Path file = Files.createDirectories(this.root.resolve(PUBLISHER)).resolve("a.ts");
		Instant at = Instant.ofEpochMilli(1_712_345_678_901L);
		ExpirySidecar.write(file, FileExpiry.at(at));
		assertThat(ExpirySidecar.read(file)).contains(FileExpiry.at(at));
		assertThat(Files.readString(ExpirySidecar.of(file))).contains("FILE a.ts", "EXPIRES 1712345678901");
		ExpirySidecar.write(file, FileExpiry.NEVER);
		assertThat(ExpirySidecar.read(file)).contains(FileExpiry.NEVER);
		assertThat(ExpirySidecar.read(file).get().never()).isTrue();
	}

	@Test
	void shouldNotReplaceAnExistingSidecarWhenWritingOnlyIfAbsent() throws IOException {
		Path file = Files.createDirectories(this.root.resolve(PUBLISHER)).resolve("a.ts");
		assertThat(ExpirySidecar.writeIfAbsent(file, FileExpiry.NEVER)).isTrue();
		assertThat(ExpirySidecar.writeIfAbsent(file, FileExpiry.at(Instant.EPOCH))).isFalse();
		assertThat(ExpirySidecar.read(file)).contains(FileExpiry.NEVER);
	}

	@Test
	void shouldReadNothingFromAMissingOrDamagedSidecar() throws IOException {
		Path file = Files.createDirectories(this.root.resolve(PUBLISHER)).resolve("a.ts");
		assertThat(ExpirySidecar.read(file)).isEmpty();
		Files.writeString(ExpirySidecar.of(file), "FILE a.ts\nEXPI");
		assertThat(ExpirySidecar.read(file)).isEmpty();
		Files.writeString(ExpirySidecar.of(file), "FILE a.ts\nEXPIRES soon\n");
		assertThat(ExpirySidecar.read(file)).isEmpty();
		ExpirySidecar.delete(file);
		assertThat(ExpirySidecar.of(file)).doesNotExist();
		ExpirySidecar.delete(file);
	}

	@Test
	void shouldSayWhetherAnExpiryPassed() {
		Instant now = Instant.ofEpochSecond(1000);
		assertThat(FileExpiry.at(now).passed(now)).isTrue();
		assertThat(FileExpiry.at(now.plusMillis(1)).passed(now)).isFalse();
		assertThat(FileExpiry.NEVER.passed(Instant.MAX)).isFalse();
		assertThat(FileExpiry.after(now, Duration.ZERO)).isEqualTo(FileExpiry.NEVER);
		assertThat(FileExpiry.after(now, Duration.ofSeconds(60))).isEqualTo(FileExpiry.at(now.plusSeconds(60)));
	}

}
