package io.dandelion.protocol.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whatever the publisher sends as {@code FILE_PATH}, the result is refused or strictly
 * inside its directory.
 */
class StoragePathsPropertyTests {

	private static final String PUBLISHER = "publisher-0123456789abcdef0123456789abcdef";

	private static final List<String> HOSTILE = List.of(".", "..", "/", "\\", "%", "%2e", "%2E", "%2f", "\u0000", "\n",
			"a", "b", "~", "C:", ":", " ", "é", "\u202e", "\uD83D\uDE00", "\uD800", "\uDC00", "\uFFFF",
			".dandelion-tmp", "../", "/..", "a/b", "/a/b/", "x".repeat(100));

	private static Path root;

	@BeforeContainer
	static void createRoot() throws IOException {
		root = Files.createTempDirectory("storage-paths");
		// A link inside the store to outside it: paths through it are refused
		Path publisherDirectory = Files.createDirectories(root.resolve(PUBLISHER).resolve("a"));
		Files.createSymbolicLink(publisherDirectory.resolve("b"), Path.of("/"));
	}

	@AfterContainer
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

	@Property(tries = 10000)
	void shouldConfineOrRefuseWhenPathIsHostile(@ForAll("hostilePaths") String filePath) {
		Path publisherDirectory = root.resolve(PUBLISHER);
		try {
			Path resolved = StoragePaths.resolve(root, PUBLISHER, filePath);
			// Lexical: AssertJ's startsWith needs real paths of files not written
			assertThat(resolved.normalize().startsWith(publisherDirectory)).isTrue();
			assertThat(resolved.normalize()).isNotEqualTo(publisherDirectory);
			assertThat(resolved.normalize()).isEqualTo(resolved);
			assertThat(resolved.startsWith(publisherDirectory.resolve("a/b"))).isFalse();
			Statistics.collect("resolved");
		}
		catch (PathRefusedException ex) {
			Statistics.collect(ex.reason());
			assertThat(ex.getMessage()).doesNotContain("\u0000", "\n");
		}
		catch (RuntimeException ex) {
			fail("Only PathRefusedException may escape resolve", ex);
		}
	}

	@AfterProperty
	void shouldHaveExercisedBothOutcomes() {
		Statistics.coverage((coverage) -> {
			coverage.check("resolved").percentage((percent) -> percent > 5);
			coverage.check(PathRefusedException.Reason.DOT_SEGMENT).count((count) -> count > 0);
			coverage.check(PathRefusedException.Reason.SYMBOLIC_LINK).count((count) -> count > 0);
		});
	}

	@Provide
	Arbitrary<String> hostilePaths() {
		return Arbitraries.oneOf(Arbitraries.of(HOSTILE).list().ofMaxSize(12).map((parts) -> String.join("", parts)),
				Arbitraries.strings().withChars("./\\%2eE\u0000a~:é").ofMaxLength(40),
				Arbitraries.strings().all().ofMaxLength(40));
	}

}
