package io.dandelion.protocol.auth;

import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@ExtendWith(SeededCases.class)
class PublishTicketTests {

	private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

	private static final KeyPair ENTRANCE_KEY = Ed25519Keys.generate();

	private static final String ENTRANCE = NodeId.random(Role.ENTRANCE).value();

	private static final String PUBLISHER = NodeId.random(Role.PUBLISHER).value();

	private static final String BOX = NodeId.random(Role.BOX).value();

	private static final List<PublicKey> TRUSTED = List.of(Ed25519Keys.generate().getPublic(),
			ENTRANCE_KEY.getPublic());

	private static final String VALID = new PublishTicket(ENTRANCE, PUBLISHER, BOX, NOW.plusSeconds(300))
		.sign(ENTRANCE_KEY.getPrivate());

	@Test
	void shouldAcceptATicketSignedByATrustedKey() throws AuthException {
		PublishTicket ticket = PublishTicket.verify(VALID, TRUSTED, PUBLISHER, BOX, NOW);
		assertThat(ticket).isEqualTo(new PublishTicket(ENTRANCE, PUBLISHER, BOX, NOW.plusSeconds(300)));
		assertThat(VALID).startsWith("dt1.").hasSizeLessThan(PublishTicket.MAX_CHARS);
	}

	@Test
	void shouldReadItsPublicKeyBackFromConfiguration() throws AuthException {
		PublicKey decoded = Ed25519Keys.decode(Ed25519Keys.encode(ENTRANCE_KEY.getPublic()));
		assertThat(Ed25519Keys.encode(decoded)).hasSize(43);
		PublishTicket.verify(VALID, List.of(decoded), PUBLISHER, BOX, NOW);
	}

	@ParameterizedTest
	@MethodSource("refusals")
	void shouldRefuseWithBadTicket(String ticket, String publisher, String box, Instant now, String reason) {
		assertThatExceptionOfType(AuthException.class)
			.isThrownBy(() -> PublishTicket.verify(ticket, TRUSTED, publisher, box, now))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(AuthException.Code.BAD_TICKET);
				assertThat(ex.getMessage()).contains(reason);
			});
	}

	static Stream<Arguments> refusals() {
		KeyPair stranger = Ed25519Keys.generate();
		String strangers = new PublishTicket(ENTRANCE, PUBLISHER, BOX, NOW.plusSeconds(300))
			.sign(stranger.getPrivate());
		String payload = VALID.substring(4, VALID.lastIndexOf('.'));
		String signature = VALID.substring(VALID.lastIndexOf('.') + 1);
		String otherPayload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("dandelion-ticket-v1\n" + ENTRANCE + "\n" + PUBLISHER + "\n" + BOX + "\n9999999999")
				.getBytes(StandardCharsets.UTF_8));
		return Stream.of(arguments(null, PUBLISHER, BOX, NOW, "needs a PUBLISH_TICKET"),
				arguments("", PUBLISHER, BOX, NOW, "needs a PUBLISH_TICKET"),
				arguments("garbage", PUBLISHER, BOX, NOW, "not a ticket"),
				arguments("dt1." + payload, PUBLISHER, BOX, NOW, "not a ticket"),
				arguments("dt1." + payload + "." + signature + ".x", PUBLISHER, BOX, NOW, "not a ticket"),
				arguments("dt1." + payload + "==." + signature, PUBLISHER, BOX, NOW, "not a ticket"),
				arguments("dt1.A." + signature, PUBLISHER, BOX, NOW, "not a ticket"),
				arguments("dt1." + "A".repeat(2000) + "." + signature, PUBLISHER, BOX, NOW, "not a ticket"),
				arguments(strangers, PUBLISHER, BOX, NOW, "not signed by an entrance key this box trusts"),
				arguments("dt1." + otherPayload + "." + signature, PUBLISHER, BOX, NOW,
						"not signed by an entrance key this box trusts"),
				arguments(VALID, NodeId.random(Role.PUBLISHER).value(), BOX, NOW, "another publisher"),
				arguments(VALID, PUBLISHER, NodeId.random(Role.BOX).value(), NOW, "another box"),
				arguments(VALID, PUBLISHER, BOX, NOW.plusSeconds(300), "expired"),
				arguments(VALID, PUBLISHER, BOX, NOW.plusSeconds(301), "expired"));
	}

	/** No mutation of a valid ticket's text is accepted: any change breaks it. */
	@ParameterizedTest
	@MethodSource("mutatedTickets")
	void shouldRefuseEveryMutatedTicket(String mutated) {
		assertThatExceptionOfType(AuthException.class)
			.isThrownBy(() -> PublishTicket.verify(mutated, TRUSTED, PUBLISHER, BOX, NOW))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(AuthException.Code.BAD_TICKET));
	}

	static Stream<Arguments> mutatedTickets() {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n";
		return SeededCases.of(1204L, 3_000, (gen) -> {
			String mutated = VALID;
			while (mutated.equals(VALID) || canonicalBase64Equivalent(mutated)) {
				int at = gen.intBetween(0, VALID.length() - 1);
				mutated = switch (gen.intBetween(0, 3)) {
					case 0 -> VALID.substring(0, at) + gen.string(alphabet, 1, 1) + VALID.substring(at + 1);
					case 1 -> VALID.substring(0, at);
					case 2 -> VALID.substring(0, at) + gen.string(alphabet, 1, 20) + VALID.substring(at);
					default ->
						VALID.substring(0, at) + VALID.substring(Math.min(VALID.length(), at + gen.intBetween(1, 10)));
				};
			}
			return arguments(mutated);
		});
	}

	/**
	 * Base64 leaves some low bits of a part's last character unused; a change there
	 * decodes to the same bytes, a different text of the same ticket.
	 */
	private static boolean canonicalBase64Equivalent(String text) {
		String[] parts = text.split("\\.", -1);
		String[] valid = VALID.split("\\.", -1);
		if (parts.length != 3 || !parts[0].equals(valid[0])) {
			return false;
		}
		try {
			Base64.Decoder decoder = Base64.getUrlDecoder();
			return Arrays.equals(decoder.decode(parts[1]), decoder.decode(valid[1]))
					&& Arrays.equals(decoder.decode(parts[2]), decoder.decode(valid[2]));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
