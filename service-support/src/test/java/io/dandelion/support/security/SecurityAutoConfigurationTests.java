package io.dandelion.support.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.assertj.core.api.Assertions;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SecurityAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class));

	@Test
	void shouldBeStrictAndSignViewerUrlsByDefaultWithoutAWarning(CapturedOutput output) {
		this.runner.run((context) -> {
			SecurityProperties properties = context.getBean(SecurityProperties.class);
			assertThat(properties.mode()).isEqualTo(SecurityMode.STRICT);
			assertThat(properties.signedViewerUrls()).isTrue();
			assertThat(properties.nodeCredential()).isEmpty();
		});
		assertThat(output).doesNotContain("SECURITY_MODE is compatible");
	}

	@Test
	void shouldWarnAtStartUpInCompatibleMode(CapturedOutput output) {
		this.runner.withPropertyValues("dandelion.security.mode=compatible")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("SECURITY_MODE is compatible");
	}

	@Test
	void shouldNameTheKeyButNotTheSecretOfABadCredential() {
		String secretLike = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ";
		this.runner.withPropertyValues("dandelion.security.credential=box-123:" + secretLike).run((context) -> {
			SecurityProperties properties = context.getBean(SecurityProperties.class);
			Assertions.assertThatIllegalStateException()
				.isThrownBy(properties::nodeCredential)
				.withMessageContaining("CREDENTIAL")
				.withMessageNotContaining(secretLike);
		});
	}

}
