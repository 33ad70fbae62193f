package io.dandelion.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.dandelion.agent.BoxAgentApplication;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A box's settings of trust at start-up, on a running box: it takes the ID its
 * {@code CREDENTIAL} names, refuses to start as another box, with another role's
 * credential or with a key that does not read (naming which), and says at once what
 * strict mode will refuse when a credential or keys are missing.
 */
@Tag(TestRedis.TAG)
@ExtendWith(OutputCaptureExtension.class)
class BoxSecurityTests {

	@TempDir
	Path temp;

	private final List<String> boxIds = new ArrayList<>();

	@AfterEach
	void deleteKeys() {
		this.boxIds.forEach((id) -> TestRedis.deleteKeysWithPrefix(TestRedis.keys(id).prefix()));
	}

	@Test
	void shouldAdoptTheIdOfItsCredential() throws IOException {
		NodeCredential credential = TestTrust.boxCredential();
		try (ConfigurableApplicationContext box = start(this.temp, TestTrust.strictBoxArguments(credential))) {
			assertThat(box.getBean(NodeId.class)).isEqualTo(credential.id());
		}
		assertThat(Files.readString(this.temp.resolve("box-id.txt")).strip()).isEqualTo(credential.id().value());
		// Started again with the same credential, it is the same box
		try (ConfigurableApplicationContext box = start(this.temp, TestTrust.strictBoxArguments(credential))) {
			assertThat(box.getBean(NodeId.class)).isEqualTo(credential.id());
		}
	}

	@Test
	void shouldRefuseToStartAsAnotherBoxThanItsIdFile() throws IOException {
		NodeId existing = NodeId.random(Role.BOX);
		Files.writeString(this.temp.resolve("box-id.txt"), existing.value());
		NodeCredential credential = TestTrust.boxCredential();
		assertThat(startupFailure(TestTrust.strictBoxArguments(credential))).contains("holds " + existing.value())
			.contains("CREDENTIAL was issued to " + credential.id().value());
		assertThat(Files.readString(this.temp.resolve("box-id.txt"))).isEqualTo(existing.value());
	}

	@Test
	void shouldRefuseTheCredentialOfAnotherRole() {
		NodeCredential publisher = NodeCredential.random(NodeId.random(Role.PUBLISHER));
		assertThat(startupFailure(List.of("--dandelion.security.credential=" + publisher.format())))
			.contains("CREDENTIAL was issued to " + publisher.id().value() + ", which is not a box")
			.doesNotContain(publisher.encodedSecret());
		assertThat(this.temp.resolve("box-id.txt")).doesNotExist();
	}

	@Test
	void shouldRefuseACredentialThatDoesNotRead() {
		String secret = TestTrust.boxCredential().encodedSecret();
		assertThat(startupFailure(List.of("--dandelion.security.credential=box-123:" + secret)))
			.contains("CREDENTIAL does not read")
			.doesNotContain(secret);
	}

	@Test
	void shouldNameTheEntranceKeyThatDoesNotRead() {
		assertThat(startupFailure(List.of("--box.security.entrance-public-keys[0]=" + TestTrust.entrancePublicKey(),
				"--box.security.entrance-public-keys[1]=not-a-key")))
			.contains("ENTRANCE_PUBLIC_KEYS[1]")
			.contains("43 characters of unpadded Base64url");
	}

	@Test
	void shouldSayAtStartWhatStrictModeRefusesWithoutCredentialOrKeys(CapturedOutput output) {
		try (ConfigurableApplicationContext box = start(this.temp, List.of("--dandelion.security.mode=strict"))) {
			String boxId = box.getBean(NodeId.class).value();
			assertThat(lines(output, " ERROR "))
				.anySatisfy((line) -> assertThat(line)
					.contains("no CREDENTIAL is set: entrances in strict mode will refuse this box's heartbeats")
					.contains("credential for " + boxId))
				.anySatisfy((line) -> assertThat(line)
					.contains("ENTRANCE_PUBLIC_KEYS is empty: this box accepts no " + "publisher"))
				.anySatisfy((line) -> assertThat(line)
					.contains("SIGNED_VIEWER_URLS is on in strict mode but no " + "CREDENTIAL is set")
					.contains("answers 403 to every file"));
			assertThat(lines(output, "no CREDENTIAL is set: entrances")).hasSize(1);
		}
	}

	@Test
	void shouldSayNothingOfTheKindWhenEverythingIsSet(CapturedOutput output) {
		try (ConfigurableApplicationContext box = start(this.temp,
				TestTrust.strictBoxArguments(TestTrust.boxCredential()))) {
			assertThat(lines(output, BoxSecurity.class.getName())).isEmpty();
		}
	}

	/** The messages of the start-up failure and its causes, one a line. */
	private String startupFailure(List<String> settings) {
		Throwable failure = catchThrowable(() -> start(this.temp, settings).close());
		assertThat(failure).as("start-up failure").isNotNull();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private static List<String> lines(CapturedOutput output, String fragment) {
		return output.getOut().lines().filter((line) -> line.contains(fragment)).toList();
	}

	private ConfigurableApplicationContext start(Path base, List<String> settings) {
		List<String> args = new ArrayList<>(List.of("--box.base-directory=" + base, "--server.port=0",
				"--server.address=127.0.0.1", "--box.server-ip=127.0.0.1", "--box.serving.data-port=0",
				"--spring.data.redis.url=" + TestRedis.url()));
		TestRedis.keyLayoutProperties().forEach((setting) -> args.add("--" + setting));
		args.addAll(settings);
		ConfigurableApplicationContext context = SpringApplication.run(BoxAgentApplication.class,
				args.toArray(String[]::new));
		this.boxIds.add(context.getBean(NodeId.class).value());
		return context;
	}

}
