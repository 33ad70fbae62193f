package io.dandelion.publisher.live;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LivePath}: what a live URL may name, and how playlist URIs resolve.
 */
class LivePathTests {

	@ParameterizedTest
	@ValueSource(strings = { "", "/", "..", "/../etc/passwd", "demo/../../etc/passwd", "demo/./index.m3u8",
			"demo//index.m3u8", "demo/", "..\\..\\etc\\passwd", "%2e%2e/passwd", "demo%2F..%2Findex.m3u8",
			"demo/index.m3u8\u0000", "c:/windows" })
	void shouldRefuseUnsafePaths(String text) {
		assertThat(LivePath.parse(text)).isEmpty();
	}

	@Test
	void shouldReadAPathWithOrWithoutALeadingSlash() {
		assertThat(LivePath.parse("/demo/index.m3u8")).hasValueSatisfying((path) -> {
			assertThat(path.names()).containsExactly("demo", "index.m3u8");
			assertThat(path.fileName()).isEqualTo("index.m3u8");
			assertThat(path.in(Path.of("/hls"))).isEqualTo(Path.of("/hls/demo/index.m3u8"));
		});
		assertThat(LivePath.parse("demo/index.m3u8")).isEqualTo(LivePath.parse("/demo/index.m3u8"));
	}

	@Test
	void shouldResolveReferencesInsideTheWatchDirectoryOnly() {
		LivePath playlist = LivePath.parse("demo/v0/index.m3u8").orElseThrow();
		assertThat(playlist.resolve("seg1.ts")).map(LivePath::toString).hasValue("demo/v0/seg1.ts");
		assertThat(playlist.resolve("./sub/seg1.ts?x=1#t")).map(LivePath::toString).hasValue("demo/v0/sub/seg1.ts");
		assertThat(playlist.resolve("../audio/a.ts")).map(LivePath::toString).hasValue("demo/audio/a.ts");
		assertThat(playlist.resolve("../../other/a.ts")).map(LivePath::toString).hasValue("other/a.ts");
		assertThat(playlist.resolve("../../../a.ts")).isEmpty();
		assertThat(playlist.resolve("https://cdn.example/x/y/seg9.ts")).map(LivePath::toString)
			.hasValue("demo/v0/seg9.ts");
		assertThat(playlist.resolve("data:text/plain,hi")).isEmpty();
		assertThat(playlist.resolve("%2e%2e/%2e%2e/%2e%2e/a.ts")).isEmpty();
		assertThat(playlist.resolve("")).isEmpty();
	}

	@Test
	void shouldTakeTheRelativePathOfAFileInAWatchDirectory() {
		Path watchDir = Path.of("/hls");
		assertThat(LivePath.relative(watchDir, Path.of("/hls/demo/3.ts"))).map(LivePath::toString)
			.hasValue("demo/3.ts");
		assertThat(LivePath.relative(watchDir, Path.of("/other/3.ts"))).isEmpty();
		assertThat(LivePath.relative(watchDir, watchDir)).isEmpty();
	}

}
