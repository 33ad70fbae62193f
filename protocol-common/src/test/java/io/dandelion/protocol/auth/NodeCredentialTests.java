package io.dandelion.protocol.auth;

import java.util.stream.Stream;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NodeCredentialTests {

	private static final String SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80";

	private static final String BOX = "box-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60";

	@Test
	void shouldReadWhatItWrites() {
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.PUBLISHER));
		assertThat(NodeCredential.parse(credential.format())).isEqualTo(credential);
		assertThat(NodeCredential.parse("  " + credential.format() + "\n")).isEqualTo(credential);
		assertThat(credential.format()).matches("publisher-[0-9a-f]{32}:[A-Za-z0-9_-]{43}");
	}

	@Test
	void shouldNeverShowItsSecret() {
		NodeCredential credential = NodeCredential.parse(BOX + ":" + SECRET);
		assertThat(credential.toString()).contains(BOX).doesNotContain(SECRET);
	}

	@Test
	void shouldDeriveTheSameUrlSecretEveryTimeAndADifferentOnePerCredential() {
		NodeCredential credential = NodeCredential.parse(BOX + ":" + SECRET);
		assertThat(credential.urlSecret()).isEqualTo(NodeCredential.parse(BOX + ":" + SECRET).urlSecret())
			.hasSize(43)
			.isNotEqualTo(SECRET)
			.isNotEqualTo(NodeCredential.random(credential.id()).urlSecret());
	}

	@ParameterizedTest
	@MethodSource("malformed")
	void shouldRefuseMalformedCredentialsWithoutRepeatingThem(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeCredential.parse(text))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(SECRET.substring(0, 20)));
	}

	static Stream<String> malformed() {
		return Stream.of("", SECRET, BOX, BOX + ":", BOX + ":" + SECRET + "A", BOX + ":" + SECRET.substring(1),
				BOX + ":" + SECRET.replace('q', '+'), "box-123:" + SECRET,
				"BOX-3F2A9C1E8B7D4A6F9E0C1B2A3D4E5F60:" + SECRET, "relay-3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60:" + SECRET,
				BOX + " " + SECRET);
	}

}
