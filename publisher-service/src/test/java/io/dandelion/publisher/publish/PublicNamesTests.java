package io.dandelion.publisher.publish;

import java.nio.file.Path;
import java.util.List;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeyLayout;
import io.dandelion.publisher.config.PublisherProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PublicNamesTests {

	private static final String PUBLISHER = "publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5";

	private final PublicNames names = new PublicNames(properties("/srv/dandelion", "/tmp/hls", "/srv/media"),
			NodeId.parse(PUBLISHER));

	@Test
	void shouldNameALocalFileByItsPathBelowItsAllowedRoot() {
		assertThat(this.names.ofLocalFile("/tmp/hls/output/alice_src/12.ts")).isEqualTo("/output/alice_src/12.ts");
		assertThat(this.names.ofLocalFile("/srv/media/videos/intro.mp4")).isEqualTo("/videos/intro.mp4");
		assertThat(this.names.ofLocalFile("/tmp/hls//output/12.ts")).isEqualTo("/output/12.ts");
	}

	@Test
	void shouldNameAnUploadedFileByThePathItWasPutAt() {
		Path upload = this.names.uploadFile("/videos/intro.mp4");
		assertThat(upload).isEqualTo(Path.of("/srv/dandelion/uploads", PUBLISHER, "videos/intro.mp4"));
		assertThat(this.names.ofLocalFile(upload.toString())).isEqualTo("/videos/intro.mp4");
	}

	@Test
	void shouldTakeTheFirstRootHoldingAFile() {
		PublicNames nested = new PublicNames(properties("/srv/dandelion", "/srv/media/hls", "/srv/media"),
				NodeId.parse(PUBLISHER));
		assertThat(nested.ofLocalFile("/srv/media/hls/a.ts")).isEqualTo("/a.ts");
		assertThat(nested.ofLocalFile("/srv/media/b.ts")).isEqualTo("/b.ts");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc/passwd", "/tmp/hlsx/a.ts", "/tmp/hls", "relative/a.ts", "/tmp/hls/../../etc/passwd",
			"/tmp/hls/./a.ts", "/tmp/hls/live/demo/0.ts", "/tmp/hls/a/.dandelion-tmp1",
			"/srv/dandelion/uploads/publisher-00000000000000000000000000000000/a.ts" })
	void shouldRefuseALocalFileWithoutAPublicName(String localPath) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.names.ofLocalFile(localPath));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a/../../etc/passwd", "/a/%2e%2e/b", "/", "/a/", "/live/demo/0.ts", "/a\\b",
			"/.dandelion-tmp-x" })
	void shouldRefuseAnUploadThatABoxWouldRefuseOrThatIsReserved(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> PublicNames.ofFile(name));
		assertThatIllegalArgumentException().isThrownBy(() -> this.names.uploadFile(name));
	}

	@Test
	void shouldKeepNamesInTheirCanonicalForm() {
		assertThat(PublicNames.ofFile("videos//intro.mp4")).isEqualTo("/videos/intro.mp4");
		assertThat(PublicNames.ofLiveFile("demo/3.ts")).isEqualTo("/live/demo/3.ts");
		assertThat(PublicNames.canonical("/live/demo/3.ts")).isEqualTo("/live/demo/3.ts");
		assertThat(PublicNames.redirect("/my videos/50%.mp4")).isEqualTo("/r/my%20videos/50%25.mp4");
	}

	private static PublisherProperties properties(String baseDirectory, String... allowedRoots) {
		return new PublisherProperties(null, 20, java.time.Duration.ofSeconds(10), List.of(), Path.of(baseDirectory),
				null, List.of(), null, List.of(allowedRoots).stream().map(Path::of).toList(), null, null, null,
				RedisKeyLayout.ORIGINAL, null, null);
	}

}
