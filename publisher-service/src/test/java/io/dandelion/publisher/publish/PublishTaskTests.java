package io.dandelion.publisher.publish;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PublishTaskTests {

	private final ObjectMapper mapper = new ObjectMapper();

	@Test
	void shouldReadTheOriginalFormatKeepingExtraKeys() {
		PublishTask task = PublishTask.read("{\"FILE_PATH\": \"/tmp/hls/a.ts\", \"TTL\": 30, \"STREAM\": \"alice\"}",
				this.mapper);
		assertThat(task.filePath()).isEqualTo("/tmp/hls/a.ts");
		// Named by the publisher (its path below its allowed root), read where pushed
		assertThat(task.name()).isNull();
		assertThat(task.localPath()).isEqualTo("/tmp/hls/a.ts");
		assertThat(task.ttlSeconds()).isEqualTo(30);
		assertThat(task.extra()).isEqualTo(Map.of("STREAM", "alice"));
		assertThat(task.repair()).isFalse();
	}

	@Test
	void shouldDefaultTheTtlTo60SecondsAndReadNumericStrings() {
		assertThat(PublishTask.read("{\"FILE_PATH\": \"/a\"}", this.mapper).ttlSeconds()).isEqualTo(60);
		assertThat(PublishTask.read("{\"FILE_PATH\": \"/a\", \"TTL\": \"0\"}", this.mapper).ttlSeconds()).isZero();
	}

	@Test
	void shouldRefuseEntriesThatAreNotTasks() {
		assertThatIllegalArgumentException().isThrownBy(() -> PublishTask.read("not json", this.mapper));
		assertThatIllegalArgumentException().isThrownBy(() -> PublishTask.read("[1]", this.mapper));
		assertThatIllegalArgumentException().isThrownBy(() -> PublishTask.read("{\"TTL\": 5}", this.mapper));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PublishTask.read("{\"FILE_PATH\": \"/a\", \"TTL\": -1}", this.mapper));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PublishTask.read("{\"FILE_PATH\": \"/a\", \"TTL\": \"soon\"}", this.mapper));
	}

	@Test
	void shouldWriteWhatItReads() {
		PublishTask repair = new PublishTask("/tmp/hls/a.ts", "/a.ts", "/tmp/hls/a.ts", 12, Map.of("STREAM", "bob"),
				true);
		assertThat(PublishTask.read(repair.write(this.mapper), this.mapper)).isEqualTo(repair);
		PublishTask upload = PublishTask.named("/videos/intro.mp4", "/var/uploads/publisher-0c1d/videos/intro.mp4", 0);
		assertThat(PublishTask.read(upload.write(this.mapper), this.mapper)).isEqualTo(upload);
	}

	@Test
	void shouldKeepItsInternalKeysOutOfTheExtras() {
		PublishTask task = PublishTask
			.read("{\"FILE_PATH\": \"/videos/intro.mp4\", \"DANDELION_NAME\": \"/videos/intro.mp4\", "
					+ "\"DANDELION_LOCAL_PATH\": \"/var/uploads/intro.mp4\", \"DANDELION_OTHER\": 1, \"SHA256\": \"x\", "
					+ "\"STREAM\": \"alice\"}", this.mapper);
		assertThat(task.name()).isEqualTo("/videos/intro.mp4");
		assertThat(task.localPath()).isEqualTo("/var/uploads/intro.mp4");
		// Extras travel in the frame header: the local path must not
		assertThat(task.extra()).isEqualTo(Map.of("STREAM", "alice"));
	}

}
