package io.dandelion.protocol.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class NodeIdFileTests {

	private static final String HEX = "0123456789abcdef0123456789abcdef";

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(Role.class)
	void shouldCreateAndStoreIdWhenFileIsMissing(Role role) throws IOException {
		NodeId id = NodeIdFile.loadOrCreate(this.directory, role);
		assertThat(id.role()).isEqualTo(role);
		assertThat(Files.readString(this.directory.resolve(role.idFileName()))).isEqualTo(id.value());
		try (var files = Files.list(this.directory)) {
			assertThat(files).containsExactly(this.directory.resolve(role.idFileName()));
		}
	}

	@Test
	void shouldReturnSameIdOnNextStart() {
		NodeId first = NodeIdFile.loadOrCreate(this.directory, Role.BOX);
		assertThat(NodeIdFile.loadOrCreate(this.directory, Role.BOX)).isEqualTo(first);
	}

	@Test
	void shouldReadExistingIdTrimmed() throws IOException {
		Files.writeString(this.directory.resolve("publisher-id.txt"), "  publisher-" + HEX + "\n");
		assertThat(NodeIdFile.loadOrCreate(this.directory, Role.PUBLISHER))
			.isEqualTo(new NodeId(Role.PUBLISHER, "publisher-" + HEX));
	}

	@Test
	void shouldCreateMissingDirectories() {
		Path nested = this.directory.resolve("a/b");
		NodeId id = NodeIdFile.loadOrCreate(nested, Role.ENTRANCE);
		assertThat(nested.resolve("entrance-id.txt")).hasContent(id.value());
	}

	@Test
	void shouldKeepIdsOfRolesApart() {
		NodeId box = NodeIdFile.loadOrCreate(this.directory, Role.BOX);
		NodeId publisher = NodeIdFile.loadOrCreate(this.directory, Role.PUBLISHER);
		assertThat(box.role()).isEqualTo(Role.BOX);
		assertThat(publisher.role()).isEqualTo(Role.PUBLISHER);
	}

	@Test
	void shouldFailWithoutReplacingWhenFileHoldsInvalidId() throws IOException {
		Path file = this.directory.resolve("box-id.txt");
		Files.writeString(file, "not-an-id");
		assertThatIllegalStateException().isThrownBy(() -> NodeIdFile.loadOrCreate(this.directory, Role.BOX))
			.withMessageContaining(file.toString());
		assertThat(file).hasContent("not-an-id");
	}

	@Test
	void shouldFailWhenFileHoldsIdOfAnotherRole() throws IOException {
		Files.writeString(this.directory.resolve("box-id.txt"), "publisher-" + HEX);
		assertThatIllegalStateException().isThrownBy(() -> NodeIdFile.loadOrCreate(this.directory, Role.BOX))
			.withMessageContaining("box-id.txt");
	}

	@Test
	void shouldFailWhenFileIsEmptyOrNotUtf8() throws IOException {
		Path file = this.directory.resolve("entrance-id.txt");
		Files.writeString(file, "");
		assertThatIllegalStateException().isThrownBy(() -> NodeIdFile.loadOrCreate(this.directory, Role.ENTRANCE));
		Files.write(file, new byte[] { (byte) 0xff, (byte) 0xfe });
		assertThatIllegalStateException().isThrownBy(() -> NodeIdFile.loadOrCreate(this.directory, Role.ENTRANCE))
			.withMessageContaining(file.toString());
		assertThat(Files.readAllBytes(file)).hasSize(2);
		assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).isEqualTo("\u00ff\u00fe");
	}

	@Test
	void shouldAdoptTheCredentialsIdWhenNoFileExists() {
		NodeId id = NodeId.random(Role.BOX);
		assertThat(NodeIdFile.loadOrAdopt(this.directory, id)).isEqualTo(id);
		assertThat(NodeIdFile.loadOrCreate(this.directory, Role.BOX)).isEqualTo(id);
	}

	@Test
	void shouldKeepTheFilesIdWhenItIsTheCredentials() {
		NodeId id = NodeIdFile.loadOrCreate(this.directory, Role.PUBLISHER);
		assertThat(NodeIdFile.loadOrAdopt(this.directory, id)).isEqualTo(id);
	}

	@Test
	void shouldRefuseACredentialOfAnotherIdAndKeepTheFile() {
		NodeId stored = NodeIdFile.loadOrCreate(this.directory, Role.BOX);
		NodeId other = NodeId.random(Role.BOX);
		assertThatIllegalStateException().isThrownBy(() -> NodeIdFile.loadOrAdopt(this.directory, other))
			.withMessageContaining(stored.value())
			.withMessageContaining(other.value())
			.withMessageContaining("CREDENTIAL");
		assertThat(this.directory.resolve("box-id.txt")).hasContent(stored.value());
	}

}
