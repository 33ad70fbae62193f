package io.dandelion.agent.publish;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frame's content as its fragments arrive: a few fragments wait, the next offer waits
 * for the reader, and whoever ends it releases what waits.
 */
class FrameContentTests {

	private static final Duration BOUND = Duration.ofSeconds(5);

	@Test
	void shouldHoldAFewFragmentsAndLetTheNextInOnlyOnceOneWasRead() throws IOException {
		FrameContent content = new FrameContent();
		for (int i = 0; i < FrameContent.CAPACITY; i++) {
			content.offer(fragment(i, 4)).block(BOUND);
		}
		List<String> admitted = new ArrayList<>();
		Disposable waiting = content.offer(fragment(9, 4)).subscribe(null, null, () -> admitted.add("admitted"));
		assertThat(admitted).isEmpty();
		byte[] first = new byte[4];
		assertThat(content.read(first, 0, 4)).isEqualTo(4);
		assertThat(admitted).containsExactly("admitted");
		waiting.dispose();
		content.finish();
		assertThat(content.readAllBytes()).hasSize(4 * FrameContent.CAPACITY);
	}

	@Test
	void shouldFailTheReaderAndReleaseWhatWaitsWhenTheConnectionEnds() {
		FrameContent content = new FrameContent();
		DataBuffer waiting = fragment(1, 8);
		content.offer(waiting).block(BOUND);
		content.fail("the connection ended");
		assertThatThrownBy(content::read).isInstanceOf(IOException.class).hasMessageContaining("connection ended");
		// Offers after the end are released and complete
		content.offer(fragment(2, 8)).block(BOUND);
		content.close();
	}

	private static DataBuffer fragment(int value, int length) {
		byte[] bytes = new byte[length];
		Arrays.fill(bytes, (byte) value);
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
	}

}
