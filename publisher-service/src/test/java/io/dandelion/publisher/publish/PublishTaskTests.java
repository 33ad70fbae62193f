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
		PublishTask repair = new PublishTask("/tmp/a.ts", 12, Map.of("STREAM", "bob"), true);
		assertThat(PublishTask.read(repair.write(this.mapper), this.mapper)).isEqualTo(repair);
	}

}
