package io.dandelion.publisher.locate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import io.dandelion.protocol.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The replica a live playlist names in box mode: players require a segment's URI to stay
 * the same from one reload to the next, while the ranked list of replicas reorders with
 * the boxes' load and gains or loses boxes.
 */
@ExtendWith(SeededCases.class)
class StableChoiceTests {

	private static final String PUBLISHER = "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5";

	@ParameterizedTest
	@MethodSource("replicaSets")
	void shouldChooseTheSameReplicaWhateverTheOrderAndTheOtherReplicas(int file, int boxes, long seed) {
		List<String> urls = replicas(file, boxes);
		String chosen = StableChoice.of(urls, Function.identity()).orElseThrow();
		Random random = new Random(seed);
		List<String> reordered = new ArrayList<>(urls);
		Collections.shuffle(reordered, random);
		assertThat(StableChoice.of(reordered, Function.identity())).hasValue(chosen);
		// Another replica gone, or a new one stored: still the same while its box lives
		List<String> fewer = new ArrayList<>(reordered);
		fewer.remove(fewer.get(fewer.indexOf(chosen) == 0 ? 1 : 0));
		assertThat(StableChoice.of(fewer, Function.identity())).hasValue(chosen);
		List<String> more = new ArrayList<>(reordered);
		more.add(url("127.0.99.10", file));
		String withNewBox = StableChoice.of(more, Function.identity()).orElseThrow();
		assertThat(withNewBox).isIn(chosen, url("127.0.99.10", file));
	}

	static Stream<Arguments> replicaSets() {
		// Edge cases: the bounds of both ranges
		List<Arguments> edges = List.of(arguments(0, 2, 0L), arguments(10_000, 8, -1L), arguments(0, 8, 1L),
				arguments(10_000, 2, Long.MAX_VALUE));
		return SeededCases.of(0x5e65L, 500, edges,
				(gen) -> arguments(gen.intBetween(0, 10_000), gen.intBetween(2, 8), gen.anyLong()));
	}

	@Test
	void shouldSpreadFilesEvenlyOverTheBoxes() {
		Map<String, Integer> chosen = new HashMap<>();
		for (int file = 0; file < 3000; file++) {
			String url = StableChoice.of(replicas(file, 3), Function.identity()).orElseThrow();
			chosen.merge(url.substring(0, url.indexOf(":7072")), 1, Integer::sum);
		}
		assertThat(chosen).hasSize(3);
		assertThat(chosen.values()).allSatisfy((count) -> assertThat(count).isBetween(800, 1200));
	}

	@Test
	void shouldChooseNothingWithoutReplicas() {
		assertThat(StableChoice.of(List.<String>of(), Function.identity())).isEmpty();
	}

	private static List<String> replicas(int file, int boxes) {
		List<String> urls = new ArrayList<>();
		for (int box = 0; box < boxes; box++) {
			urls.add(url("127.0." + (box + 2) + ".10", file));
		}
		return urls;
	}

	private static String url(String boxIp, int file) {
		return "http://" + boxIp + ":7072/" + PUBLISHER + "/live/demo/seg" + file + ".ts";
	}

}
