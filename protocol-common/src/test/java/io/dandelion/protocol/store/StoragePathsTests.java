package io.dandelion.protocol.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.dandelion.protocol.store.PathRefusedException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StoragePathsTests {

	private static final String PUBLISHER = "publisher-0123456789abcdef0123456789abcdef";

	@TempDir
	Path root;

	@Test
	void shouldResolveOriginalSegmentPathBelowPublisherDirectory() {
		assertThat(StoragePaths.resolve(this.root, PUBLISHER, "/tmp/hls/output/alice_src/12.ts"))
			.isEqualTo(this.root.resolve(PUBLISHER).resolve("tmp/hls/output/alice_src/12.ts"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "a.ts|a.ts", "///a/b.ts|a/b.ts", "a//b///c.ts|a/b/c.ts", "~/a.ts|~/a.ts", "%41.ts|%41.ts",
					"a/%2f/b|a/%2f/b", "...|...", "a/.../b|a/.../b", "..a/b..|..a/b..", ".hidden|.hidden",
					"a/.dandelion/b|a/.dandelion/b", "vidéo/片段.ts|vidéo/片段.ts", "ab:c/d|ab:c/d", "1:/x|1:/x",
					"a b/ c |a b/ c " })
	void shouldResolveHarmlessPathLiterally(String filePath, String expected) {
		Path resolved = StoragePaths.resolve(this.root, PUBLISHER, filePath);
		assertThat(resolved).isEqualTo(this.root.resolve(PUBLISHER).resolve(expected));
		assertThat(resolved.normalize()).isEqualTo(resolved);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			value = { "../x|DOT_SEGMENT", "a/../../x|DOT_SEGMENT", "/..|DOT_SEGMENT", "..|DOT_SEGMENT",
					"a/..|DOT_SEGMENT", "./a|DOT_SEGMENT", "a/./b|DOT_SEGMENT", "%2e%2e/x|ENCODED_DOT_SEGMENT",
					"a/%2E%2e/x|ENCODED_DOT_SEGMENT", "a/.%2e/x|ENCODED_DOT_SEGMENT", "%2e|ENCODED_DOT_SEGMENT",
					"a\\..\\b|BACKSLASH", "a\\b|BACKSLASH", "C:/x|DRIVE_LETTER", "c:x|DRIVE_LETTER",
					"a:b/c|DRIVE_LETTER", "/C:/Windows/x|DRIVE_LETTER", "|EMPTY_PATH", "/|EMPTY_PATH",
					"////|EMPTY_PATH", "a/|TRAILING_SLASH", "a/b//|TRAILING_SLASH", ".dandelion-tmp|RESERVED_NAME",
					"a/.dandelion-tmp-123/b|RESERVED_NAME", "a/.dandelion-tmpfile|RESERVED_NAME",
					"a/.dandelion-ttl-0123456789abcdef0123456789abcdef|RESERVED_NAME", ".dandelion-x|RESERVED_NAME" })
	void shouldRefuseHostilePath(String filePath, Reason reason) {
		assertRefused((filePath != null) ? filePath : "", reason);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\u0000b", "a\nb", "\u0007", "a\u007fb", "a\u0085b", "a/b\r" })
	void shouldRefuseControlCharacters(String filePath) {
		assertRefused(filePath, Reason.CONTROL_CHARACTER);
	}

	@Test
	void shouldRefuseUnpairedSurrogate() {
		assertRefused("a\uD800b", Reason.MALFORMED_UNICODE);
		assertRefused("a\uDC00", Reason.MALFORMED_UNICODE);
	}

	@Test
	void shouldRefuseOverlongSegmentsAndPaths() {
		assertRefused("a/" + "x".repeat(300), Reason.SEGMENT_TOO_LONG);
		// 128 three-byte characters: 128 chars but 384 bytes
		assertRefused("€".repeat(128), Reason.SEGMENT_TOO_LONG);
		assertThat(StoragePaths.resolve(this.root, PUBLISHER, "x".repeat(255))).isNotNull();
		assertRefused("a/".repeat(2048) + "b", Reason.PATH_TOO_LONG);
		assertRefused("é".repeat(2049), Reason.PATH_TOO_LONG);
		assertRefused("a/".repeat(64) + "b", Reason.TOO_MANY_SEGMENTS);
		assertThat(StoragePaths.resolve(this.root, PUBLISHER, "a/".repeat(63) + "b")).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "publisher-", "publisher-0123456789ABCDEF0123456789abcdef",
			"publisher-0123456789abcdef0123456789abcde", "box-0123456789abcdef0123456789abcdef", "..", "../x",
			"publisher-0123456789abcdef0123456789abcdef/..", "publisher-0123456789abcdef0123456789abcdef\u0000" })
	void shouldRefuseBadPublisherId(String publisherId) {
		assertThatExceptionOfType(PathRefusedException.class)
			.isThrownBy(() -> StoragePaths.resolve(this.root, publisherId, "a.ts"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.BAD_PUBLISHER_ID))
			.withMessageNotContaining("\u0000");
		assertThatExceptionOfType(PathRefusedException.class)
			.isThrownBy(() -> StoragePaths.publisherDirectory(this.root, publisherId))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.BAD_PUBLISHER_ID));
	}

	@Test
	void shouldReturnPublisherDirectory() {
		assertThat(StoragePaths.publisherDirectory(this.root, PUBLISHER)).isEqualTo(this.root.resolve(PUBLISHER));
	}

	@Test
	void shouldResolveWhenRootDoesNotExistYet() {
		Path missing = this.root.resolve("not-yet");
		assertThat(StoragePaths.resolve(missing, PUBLISHER, "/a/b.ts"))
			.isEqualTo(missing.resolve(PUBLISHER).resolve("a/b.ts"));
	}

	@Test
	void shouldResolveThroughExistingDirectoriesAndOverExistingFile() throws IOException {
		Path directory = Files.createDirectories(this.root.resolve(PUBLISHER).resolve("a/b"));
		Files.writeString(directory.resolve("c.ts"), "old");
		assertThat(StoragePaths.resolve(this.root, PUBLISHER, "a/b/c.ts")).isEqualTo(directory.resolve("c.ts"));
	}

	@Test
	void shouldRefuseSymbolicLinkInsideStorePointingOutside(@TempDir Path outside) throws IOException {
		Path publisherDirectory = Files.createDirectories(this.root.resolve(PUBLISHER));
		Files.createSymbolicLink(publisherDirectory.resolve("escape"), outside);
		assertRefused("escape/x.ts", Reason.SYMBOLIC_LINK);
		assertRefused("/escape/deeper/x.ts", Reason.SYMBOLIC_LINK);
	}

	@Test
	void shouldRefuseSymbolicLinkEvenWhenItPointsInside() throws IOException {
		Path publisherDirectory = Files.createDirectories(this.root.resolve(PUBLISHER).resolve("real"));
		Files.createSymbolicLink(this.root.resolve(PUBLISHER).resolve("alias"), publisherDirectory);
		assertRefused("alias/x.ts", Reason.SYMBOLIC_LINK);
	}

	@Test
	void shouldRefuseTargetThatIsSymbolicLink(@TempDir Path outside) throws IOException {
		Path publisherDirectory = Files.createDirectories(this.root.resolve(PUBLISHER));
		Files.createSymbolicLink(publisherDirectory.resolve("x.ts"), outside.resolve("passwd"));
		assertRefused("x.ts", Reason.SYMBOLIC_LINK);
	}

	@Test
	void shouldRefusePublisherDirectoryThatIsSymbolicLink(@TempDir Path outside) throws IOException {
		Files.createSymbolicLink(this.root.resolve(PUBLISHER), outside);
		assertRefused("x.ts", Reason.SYMBOLIC_LINK);
	}

	@Test
	void shouldAcceptStorageRootThatIsItselfSymbolicLink(@TempDir Path real) throws IOException {
		Path link = Files.createSymbolicLink(this.root.resolve("store"), real);
		Files.createDirectories(real.resolve(PUBLISHER).resolve("a"));
		assertThat(StoragePaths.resolve(link, PUBLISHER, "a/x.ts"))
			.isEqualTo(link.resolve(PUBLISHER).resolve("a/x.ts"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "a.ts|/a.ts", "///a/b.ts|/a/b.ts", "a//b///c.ts|/a/b/c.ts",
			"/videos/intro.mp4|/videos/intro.mp4", "%41.ts|/%41.ts" })
	void shouldGiveTheCanonicalFormOfAHarmlessPath(String filePath, String expected) {
		assertThat(StoragePaths.canonical(filePath)).isEqualTo(expected);
		assertThat(StoragePaths.resolve(this.root, PUBLISHER, expected))
			.isEqualTo(StoragePaths.resolve(this.root, PUBLISHER, filePath));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "../etc/passwd|DOT_SEGMENT", "a/./b|DOT_SEGMENT", "a/%2e%2e/b|ENCODED_DOT_SEGMENT",
					"a\\b|BACKSLASH", "/|EMPTY_PATH", "a/|TRAILING_SLASH", "C:/x|DRIVE_LETTER",
					"a/.dandelion-tmp1|RESERVED_NAME", "a/.dandelion-ttl-1|RESERVED_NAME" })
	void shouldRefuseTheCanonicalFormOfAHostilePath(String filePath, Reason reason) {
		assertThatExceptionOfType(PathRefusedException.class).isThrownBy(() -> StoragePaths.canonical(filePath))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

	@Test
	void shouldQuoteOffendingInputSafely() {
		assertThatExceptionOfType(PathRefusedException.class)
			.isThrownBy(
					() -> StoragePaths.resolve(this.root, PUBLISHER, "../\u001b[31m\nFAKE LOG LINE" + "x".repeat(500)))
			.withMessageStartingWith("Refused FILE_PATH \"../\\u001b[31m\\u000aFAKE LOG LINE")
			.withMessageNotContaining("\n")
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(300));
	}

	private void assertRefused(String filePath, Reason reason) {
		assertThatExceptionOfType(PathRefusedException.class)
			.isThrownBy(() -> StoragePaths.resolve(this.root, PUBLISHER, filePath))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

}
