package io.dandelion.agent.serving;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.config.BoxSecurity;
import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.testing.TestProperties;
import io.dandelion.support.security.SecurityProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which viewer URLs a box's settings make it serve: signed ones only in strict mode with
 * {@code SIGNED_VIEWER_URLS} (the default), checked with its credential's URL secret, or
 * none without a credential; every one in compatible mode or with signing off.
 */
class ViewerUrlPolicyTests {

	private static final NodeCredential credential = TestTrust.boxCredential();

	@Test
	void shouldSignWithTheCredentialsUrlSecretByDefault() {
		assertThat(policy(Map.of("dandelion.security.credential", credential.format())))
			.isEqualTo(new ViewerUrlPolicy(true, credential.urlSecret()));
	}

	@Test
	void shouldRefuseEveryFileWhenSignedWithoutCredential() {
		ViewerUrlPolicy policy = policy(Map.of());
		assertThat(policy).isEqualTo(new ViewerUrlPolicy(true, null));
		assertThat(policy.allows("/publisher-x/a.ts", "x", "99999999999", Instant.now())).isFalse();
	}

	@Test
	void shouldServeUnsignedInCompatibleModeOrWithSigningOff() {
		assertThat(policy(
				Map.of("dandelion.security.credential", credential.format(), "dandelion.security.mode", "compatible")))
			.isEqualTo(ViewerUrlPolicy.UNSIGNED);
		assertThat(policy(Map.of("dandelion.security.credential", credential.format(),
				"dandelion.security.signed-viewer-urls", "false")))
			.isEqualTo(ViewerUrlPolicy.UNSIGNED);
	}

	@Test
	void shouldNeverShowTheSecret() {
		assertThat(new ViewerUrlPolicy(true, credential.urlSecret()).toString()).doesNotContain(credential.urlSecret());
		assertThatIllegalArgumentException().isThrownBy(() -> new ViewerUrlPolicy(true, "a\" ; return 200; #"));
	}

	private static ViewerUrlPolicy policy(Map<String, String> settings) {
		Map<String, String> all = new HashMap<>(settings);
		SecurityProperties security = TestProperties.bind("dandelion.security", SecurityProperties.class, all);
		BoxProperties box = TestProperties.bind("box", BoxProperties.class, Map.of());
		return ViewerUrlPolicy.of(BoxSecurity.of(security, box));
	}

}
