package io.dandelion.publisher.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.security.SecurityAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the publisher's ID comes from: its credential when it has one (which must be a
 * publisher's, and the one its ID file holds), else its ID file.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdentityConfigurationTests {

	@TempDir
	Path baseDirectory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class))
			.withUserConfiguration(Properties.class, IdentityConfiguration.class)
			.withPropertyValues("publisher.base-directory=" + this.baseDirectory);
	}

	@Test
	void shouldTakeTheIdItsCredentialWasIssuedTo() {
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.PUBLISHER));
		runner().withPropertyValues("dandelion.security.credential=" + credential.format()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NodeId.class)).isEqualTo(credential.id());
			assertThat(this.baseDirectory.resolve("publisher-id.txt")).hasContent(credential.id().value());
		});
	}

	@Test
	void shouldNotStartWithTheCredentialOfABox(CapturedOutput output) {
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.BOX));
		runner().withPropertyValues("dandelion.security.credential=" + credential.format()).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("CREDENTIAL was issued to " + credential.id().value())
				.hasMessageContaining("not a publisher");
		});
		assertThat(this.baseDirectory.resolve("publisher-id.txt")).doesNotExist();
		assertThat(output.getAll()).doesNotContain(credential.encodedSecret());
	}

	@Test
	void shouldNotStartWithTheCredentialOfAnotherPublisherThanItsIdFileNames() throws IOException {
		NodeId stored = NodeId.random(Role.PUBLISHER);
		Files.writeString(this.baseDirectory.resolve("publisher-id.txt"), stored.value());
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.PUBLISHER));
		runner().withPropertyValues("dandelion.security.credential=" + credential.format()).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(stored.value())
				.hasMessageContaining(credential.id().value());
		});
		assertThat(this.baseDirectory.resolve("publisher-id.txt")).hasContent(stored.value());
	}

	@Test
	void shouldStartWithoutACredentialInStrictModeAndSayWhatItNeeds(CapturedOutput output) {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			String id = context.getBean(NodeId.class).value();
			assertThat(output.getAll()).containsOnlyOnce("CREDENTIAL is not set")
				.contains("ERROR")
				.contains("a credential for " + id);
		});
	}

	@Test
	void shouldStartWithoutACredentialInCompatibleModeQuietly(CapturedOutput output) {
		runner().withPropertyValues("dandelion.security.mode=compatible").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output.getAll()).doesNotContain("CREDENTIAL is not set");
		});
	}

	@EnableConfigurationProperties(PublisherProperties.class)
	static class Properties {

	}

}
