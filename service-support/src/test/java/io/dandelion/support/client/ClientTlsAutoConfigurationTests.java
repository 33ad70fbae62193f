package io.dandelion.support.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTlsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClientTlsAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void shouldTrustTheJdkAuthoritiesAloneByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(ClientTls.class)).hasToString("JDK authorities"));
	}

	@Test
	void shouldRefuseToStartWithATrustFileThatHoldsNoCertificate() throws IOException {
		Path garbage = Files.writeString(this.directory.resolve("trusted.pem"), "no certificate here");
		this.runner.withPropertyValues("dandelion.tls.trusted-certificates=" + garbage)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Cannot use the trusted certificates in " + garbage));
	}

}
