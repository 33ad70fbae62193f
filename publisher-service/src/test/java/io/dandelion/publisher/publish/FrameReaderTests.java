package io.dandelion.publisher.publish;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dandelion.publisher.publish.FrameReader.FileProblem;
import io.dandelion.publisher.publish.FrameReader.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading a local file into a frame: a file over the frame limit is refused before
 * anything is read, with an error that names the limit.
 */
class FrameReaderTests {

	private static final long LIMIT = 64L * 1024 * 1024;

	@TempDir
	Path directory;

	@Test
	void shouldRefuseAFileOverTheFrameLimitBeforeReadingIt() throws IOException {
		Path file = this.directory.resolve("huge.mp4");
		// Sparse: 65 MiB on no disk
		try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
			sparse.setLength(65L * 1024 * 1024);
		}
		FrameReader reader = new FrameReader(LIMIT);
		assertThatThrownBy(() -> reader.read(PublishTask.named("/huge.mp4", file.toString(), 0), Duration.ZERO))
			.isInstanceOf(FileProblem.class)
			.hasMessageContaining("File of " + 65L * 1024 * 1024 + " bytes is over the frame limit of " + LIMIT)
			.hasMessageContaining("BOX_MAX_FRAME_SIZE")
			.hasMessageContaining("not sent");
	}

	@Test
	void shouldFrameAFileWithinTheLimit() throws IOException {
		Path file = this.directory.resolve("small.ts");
		Files.write(file, new byte[3 * 1024 * 1024 + 1]);
		Frame frame = new FrameReader(LIMIT).read(PublishTask.named("/small.ts", file.toString(), 0), Duration.ZERO);
		try {
			assertThat(frame.size()).isEqualTo(3 * 1024 * 1024 + 1);
			assertThat(frame.bytes().readableBytes()).isGreaterThan(3 * 1024 * 1024 + 1);
		}
		finally {
			frame.bytes().release();
		}
	}

}
