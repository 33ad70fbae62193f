package io.dandelion.publisher.publish;

import java.util.Map;

import io.dandelion.publisher.publish.RecentFiles.Known;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentFilesTests {

	private static final String A = "a".repeat(64);

	private static final String B = "b".repeat(64);

	private final RecentFiles recent = new RecentFiles();

	@Test
	void shouldGatherTheBoxesHoldingOneVersionAndStartOverForANewOne() {
		this.recent.sending("/a.ts");
		this.recent.stored("/a.ts", "box-1", 1_000, 61_000, false, 10, A);
		this.recent.stored("/a.ts", "box-2", 2_000, 62_000, false, 10, A);
		assertThat(this.recent.get("/a.ts", 5_000)).get()
			.isEqualTo(new Known(Map.of("box-1", 1_000L, "box-2", 2_000L), A, 10, 62_000));
		this.recent.stored("/a.ts", "box-3", 3_000, 63_000, false, 12, B);
		assertThat(this.recent.get("/a.ts", 5_000)).get().isEqualTo(new Known(Map.of("box-3", 3_000L), B, 12, 63_000));
	}

	@Test
	void shouldKeepTheFilesExpiryForARepairedCopy() {
		this.recent.sending("/a.ts");
		this.recent.stored("/a.ts", "box-1", 1_000, 61_000, false, 10, A);
		this.recent.stored("/a.ts", "box-2", 30_000, 90_000, true, 10, A);
		assertThat(this.recent.get("/a.ts", 5_000)).get().extracting(Known::expiresAt).isEqualTo(61_000L);
	}

	@Test
	void shouldNotAnswerForAnExpiredOrFailedFile() {
		this.recent.sending("/a.ts");
		this.recent.stored("/a.ts", "box-1", 1_000, 61_000, false, 10, A);
		this.recent.sending("/forever.mp4");
		this.recent.stored("/forever.mp4", "box-1", 1_000, 0, false, 10, A);
		assertThat(this.recent.get("/a.ts", 61_000)).isEmpty();
		assertThat(this.recent.get("/forever.mp4", Long.MAX_VALUE)).isPresent();
		this.recent.forget("/forever.mp4");
		assertThat(this.recent.get("/forever.mp4", 5_000)).isEmpty();
	}

	@Test
	void shouldKnowAFileWhoseLastBoxWasLostAndOneBeingSent() {
		this.recent.sending("/a.ts");
		assertThat(this.recent.get("/a.ts", 5_000)).get().isEqualTo(new Known(Map.of(), null, -1, 0));
		this.recent.stored("/a.ts", "box-1", 1_000, 0, false, 10, A);
		this.recent.forget("/a.ts", "box-1");
		assertThat(this.recent.get("/a.ts", 5_000)).get().isEqualTo(new Known(Map.of(), A, 10, 0));
	}

	@Test
	void shouldNotTakeOneAcknowledgementForAllOfAnUnknownFile() {
		// Other boxes may hold it: Redis knows
		this.recent.stored("/a.ts", "box-1", 1_000, 0, false, 10, A);
		assertThat(this.recent.get("/a.ts", 5_000)).isEmpty();
	}

	@Test
	void shouldTakeWhatRedisSaysOverWhatItKnew() {
		this.recent.sending("/a.ts");
		this.recent.stored("/a.ts", "box-1", 1_000, 61_000, false, 10, A);
		this.recent.read("/a.ts", Map.of("STATE", "STORED", "SHA256", B, "SIZE", "12", "EXPIRES_AT", "70000"),
				Map.of("box-2", 2_000L), this.recent.changes());
		assertThat(this.recent.get("/a.ts", 5_000)).get().isEqualTo(new Known(Map.of("box-2", 2_000L), B, 12, 70_000));
		this.recent.read("/a.ts", Map.of("STATE", "SENDING", "SHA256", B), Map.of(), this.recent.changes());
		assertThat(this.recent.get("/a.ts", 5_000)).isEmpty();
	}

	@Test
	void shouldNotKeepWhatRedisSaidBeforeAChange() {
		this.recent.sending("/a.ts");
		long asked = this.recent.changes();
		// A box acknowledged the file while Redis was being asked: its answer is older
		this.recent.stored("/a.ts", "box-1", 1_000, 0, false, 10, A);
		this.recent.read("/a.ts", Map.of("STATE", "SENDING"), Map.of(), asked);
		assertThat(this.recent.get("/a.ts", 5_000)).get().isEqualTo(new Known(Map.of("box-1", 1_000L), A, 10, 0));
	}

	@Test
	void shouldForgetTheLeastRecentlyUsedPastItsCapacity() {
		for (int i = 0; i <= RecentFiles.CAPACITY; i++) {
			this.recent.sending("/" + i + ".ts");
			if (i == 0) {
				continue;
			}
			// The first file is looked up all along: it stays
			assertThat(this.recent.get("/0.ts", 5_000)).isPresent();
		}
		assertThat(this.recent.get("/1.ts", 5_000)).isEmpty();
		assertThat(this.recent.get("/" + RecentFiles.CAPACITY + ".ts", 5_000)).isPresent();
	}

}
