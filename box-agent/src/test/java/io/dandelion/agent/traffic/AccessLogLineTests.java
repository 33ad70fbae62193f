package io.dandelion.agent.traffic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogLineTests {

	@Test
	void shouldReadTheDandelionLogFormat() {
		AccessLogLine line = AccessLogLine.parse(
				"127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET /publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/tmp/a.ts HTTP/1.1\" 200 4432");
		assertThat(line).isEqualTo(new AccessLogLine("/publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/tmp/a.ts", 200, 4432,
				"25/Nov/2026:17:20:01 +0000"));
		assertThat(line.successful()).isTrue();
	}

	@Test
	void shouldCountTheFileAndNotTheSignatureOfASignedUrl() {
		AccessLogLine line = AccessLogLine.parse("127.0.0.1 [25/Nov/2026:17:20:01 +0000] "
				+ "\"GET /publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/tmp/a.ts?md5=Qx3-bPq0Zz1a_7Hk9wYt2g&expires=1795627201 HTTP/1.1\" 200 4432");
		assertThat(line.url()).isEqualTo("/publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/tmp/a.ts");
		assertThat(line.successful()).isTrue();
		assertThat(AccessLogLine.parse("127.0.0.1 [25/Nov/2026:17:20:01 +0000] \"GET /a.ts? HTTP/1.1\" 200 1").url())
			.isEqualTo("/a.ts");
	}

	@Test
	void shouldNotCountFailedRequests() {
		AccessLogLine line = AccessLogLine
			.parse("::1 [25/Nov/2026:17:20:01 +0000] \"GET /missing.ts HTTP/1.1\" 404 153");
		assertThat(line.status()).isEqualTo(404);
		assertThat(line.successful()).isFalse();
	}

	@Test
	void shouldKeepBytesButNoUrlWhenTheRequestLineIsGarbage() {
		AccessLogLine line = AccessLogLine.parse("10.0.0.1 [25/Nov/2026:17:20:01 +0000] \"\\x16\\x03\\x01\" 200 0");
		assertThat(line.url()).isNull();
		assertThat(line.successful()).isFalse();
	}

	@Test
	void shouldRefuseLinesInAnotherFormat() {
		assertThat(AccessLogLine
			.parse("127.0.0.1 - - [25/Nov/2026:17:20:01 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"curl\"")).isNull();
		assertThat(AccessLogLine.parse("")).isNull();
	}

}
