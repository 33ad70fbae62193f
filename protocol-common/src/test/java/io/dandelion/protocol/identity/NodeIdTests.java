package io.dandelion.protocol.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NodeIdTests {

	private static final String HEX = "0123456789abcdef0123456789abcdef";

	@ParameterizedTest
	@EnumSource(Role.class)
	void shouldCreateRandomIdWithRolePrefix(Role role) {
		NodeId id = NodeId.random(role);
		assertThat(id.role()).isEqualTo(role);
		assertThat(id.value()).matches(role.idPrefix() + "[0-9a-f]{32}");
		assertThat(id.toString()).isEqualTo(id.value());
		assertThat(NodeId.random(role)).isNotEqualTo(id);
	}

	@ParameterizedTest
	@EnumSource(Role.class)
	void shouldParseRoleFromPrefix(Role role) {
		NodeId id = NodeId.parse(role.idPrefix() + HEX);
		assertThat(id).isEqualTo(new NodeId(role, role.idPrefix() + HEX));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "box", "box-", "box-0123", "box-0123456789ABCDEF0123456789abcdef",
			"box-0123456789abcdef0123456789abcdef0", "box-0123456789abcdef0123456789abcdeg", "BOX-" + HEX,
			" box-" + HEX, "box-" + HEX + " ", "client-" + HEX, "publisher_" + HEX, "box-" + HEX + "\n" })
	void shouldRefuseMalformedIdWhenParsing(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeId.parse(value))
			.withMessageContaining("ID")
			.withMessageNotContaining("\n");
	}

	@Test
	void shouldRefuseIdOfAnotherRole() {
		assertThatIllegalArgumentException().isThrownBy(() -> new NodeId(Role.BOX, "publisher-" + HEX))
			.withMessageContaining("BOX")
			.withMessageContaining("publisher-" + HEX);
	}

	@Test
	void shouldRefuseNulls() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new NodeId(null, "box-" + HEX));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new NodeId(Role.BOX, null));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> NodeId.parse(null));
	}

	@Test
	void shouldReadAndWriteJsonAsPlainString() throws Exception {
		ObjectMapper mapper = new ObjectMapper();
		NodeId id = NodeId.parse("entrance-" + HEX);
		assertThat(mapper.writeValueAsString(id)).isEqualTo("\"entrance-" + HEX + "\"");
		assertThat(mapper.readValue("\"entrance-" + HEX + "\"", NodeId.class)).isEqualTo(id);
	}

}
