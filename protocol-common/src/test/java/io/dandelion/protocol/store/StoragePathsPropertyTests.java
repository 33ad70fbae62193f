package io.dandelion.protocol.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dandelion.protocol.testing.SeededCases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Whatever the publisher sends as {@code FILE_PATH}, the result is refused or strictly
 * inside its directory.
 */
@ExtendWith(SeededCases.class)
class StoragePathsPropertyTests {

	private static final int TRIES = 10_000;

	private static final String PUBLISHER = "publisher-0123456789abcdef0123456789abcdef";

	private static final List<String> HOSTILE = List.of(".", "..", "/", "\\", "%", "%2e", "%2E", "%2f", "\u0000", "\n",
			"a", "b", "~", "C:", ":", " ", "é", "\u202e", "\uD83D\uDE00", "\uD800", "\uDC00", "\uFFFF",
			".dandelion-tmp", "../", "/..", "a/b", "/a/b/", "x".repeat(100));

	/** How often each outcome came up: "resolved" or a refusal reason. */
	private static final Map<Object, Integer> outcomes = new ConcurrentHashMap<>();

	private static Path root;

	@BeforeAll
	static void createRoot() throws IOException {
		root = Files.createTempDirectory("storage-paths");
		// A link inside the store to outside it: paths through it are refused
		Path publisherDirectory = Files.createDirectories(root.resolve(PUBLISHER).resolve("a"));
		Files.createSymbolicLink(publisherDirectory.resolve("b"), Path.of("/"));
		outcomes.clear();
	}

	@AfterAll
	static void deleteRoot() throws IOException {
		try (var paths = Files.walk(root)) {
			paths.sorted((a, b) -> b.compareTo(a)).forEach((path) -> {
				try {
					Files.delete(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
	}

	@AfterAll
	static void shouldHaveExercisedBothOutcomes() {
		// Only a full run says anything about the generator (not one case re-run alone)
		if (outcomes.values().stream().mapToInt(Integer::intValue).sum() == TRIES) {
			assertThat(outcomes.getOrDefault("resolved", 0)).isGreaterThan(TRIES / 20);
			assertThat(outcomes).containsKeys(PathRefusedException.Reason.DOT_SEGMENT,
					PathRefusedException.Reason.SYMBOLIC_LINK);
		}
	}

	@ParameterizedTest
	@MethodSource("hostilePaths")
	void shouldConfineOrRefuseWhenPathIsHostile(String filePath) {
		Path publisherDirectory = root.resolve(PUBLISHER);
		try {
			Path resolved = StoragePaths.resolve(root, PUBLISHER, filePath);
			// Lexical: AssertJ's startsWith needs real paths of files not written
			assertThat(resolved.normalize().startsWith(publisherDirectory)).isTrue();
			assertThat(resolved.normalize()).isNotEqualTo(publisherDirectory);
			assertThat(resolved.normalize()).isEqualTo(resolved);
			assertThat(resolved.startsWith(publisherDirectory.resolve("a/b"))).isFalse();
			outcomes.merge("resolved", 1, Integer::sum);
		}
		catch (PathRefusedException ex) {
			outcomes.merge(ex.reason(), 1, Integer::sum);
			assertThat(ex.getMessage()).doesNotContain("\u0000", "\n");
		}
		catch (RuntimeException ex) {
			fail("Only PathRefusedException may escape resolve", ex);
		}
	}

	static Stream<Arguments> hostilePaths() {
		// Edge cases: nothing, each hostile part alone, a path through the link
		List<Arguments> edges = Stream.concat(Stream.of("", "a/b/etc/passwd"), HOSTILE.stream())
			.map(Arguments::arguments)
			.toList();
		return SeededCases.of(0x9a7e5L, TRIES, edges, (gen) -> arguments(switch (gen.intBetween(0, 2)) {
			case 0 -> String.join("", gen.listOf(0, 12, (part) -> part.oneOf(HOSTILE)));
			case 1 -> gen.string("./\\%2eE\u0000a~:é", 40);
			default -> gen.anyString(40);
		}));
	}

}
