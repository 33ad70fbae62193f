package io.dandelion.agent.heartbeat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EntranceUrlTests {

	@Test
	void shouldTurnTheOriginalsHttpUrlsIntoWebSocketUrls() {
		assertThat(EntranceUrl.parse("http://127.0.0.1:7071/dandelion/ws/"))
			.hasToString("ws://127.0.0.1:7071/dandelion/ws/");
		assertThat(EntranceUrl.parse("https://198.51.100.1:7070/dandelion/ws/"))
			.hasToString("wss://198.51.100.1:7070/dandelion/ws/");
		assertThat(EntranceUrl.parse("WSS://[2001:db8::1]/dandelion/ws/"))
			.hasToString("wss://[2001:db8::1]/dandelion/ws/");
	}

	@Test
	void shouldKnowAnEntranceWhateverSchemeNamesIt() {
		assertThat(EntranceUrl.parse("http://127.0.0.1:7071/dandelion/ws/"))
			.isEqualTo(EntranceUrl.parse("ws://127.0.0.1:7071/dandelion/ws/"));
	}

	@Test
	void shouldRefuseWhatIsNoEntranceUrl() {
		assertThatIllegalArgumentException().isThrownBy(() -> EntranceUrl.parse("ftp://127.0.0.1/dandelion/ws/"));
		assertThatIllegalArgumentException().isThrownBy(() -> EntranceUrl.parse("/dandelion/ws/"));
		assertThatIllegalArgumentException().isThrownBy(() -> EntranceUrl.parse("http://bad host/"));
	}

}
