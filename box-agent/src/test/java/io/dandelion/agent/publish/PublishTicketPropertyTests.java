package io.dandelion.agent.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import io.dandelion.agent.config.TestTrust;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SeededCases.Gen;
import io.dandelion.protocol.testing.SeededCases;
import io.dandelion.protocol.testing.TestRedis;
import io.dandelion.protocol.testing.WithTestRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every ticket made from a valid one by random byte flips, truncations, swapped or mixed
 * parts, edited payloads and re-encodings is refused with {@code BAD_TICKET} over a real
 * WebSocket to a box in strict mode, with the connection closed (4003) and nothing of the
 * publisher recorded. The box's ID and the tickets are the same in every run, so a case's
 * seed re-runs it exactly. A mutation that decodes to the very bytes of the valid ticket
 * (only unused bits of a final Base64 character changed) is the same ticket, not a
 * mutation, and is drawn again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "box.serving.data-port=0")
@WithTestRedis
@ExtendWith(SeededCases.class)
@Tag(TestRedis.ONE_LAYOUT_TAG)
class PublishTicketPropertyTests {

	private static final String HEX = "0123456789abcdef";

	/** The box under test, the same in every run. */
	private static final NodeCredential box = new NodeCredential(new NodeId(Role.BOX, "box-" + "b0c5".repeat(8)),
			secret());

	/** Far enough ahead that time never refuses a case's tickets. */
	private static final Instant EXPIRY = Instant.parse("2100-01-01T00:00:00Z");

	private static final Path base = AbstractPublishTicketTests.createTempDirectory("box-ticket-property")
		.resolve("store");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("box.base-directory", base::toString);
		TestTrust.strictBox(registry, box);
	}

	@AfterAll
	static void deleteKeys() {
		TestRedis.deleteKeysWithPrefix(TestRedis.keys(box.id().value()).prefix());
	}

	@LocalServerPort
	private int port;

	@ParameterizedTest
	@MethodSource("mutatedTickets")
	void shouldRefuseEveryMutatedTicketAndKeepNothing(String publisherId, String mutation, String ticket)
			throws IOException {
		PublisherTestClient client = new PublisherTestClient(this.port, box.id().value());
		AbstractPublishTicketTests.assertRefusedWithoutTrace(
				client.exchangeUntilClosed(PublisherTestClient.publish(publisherId, ticket),
						PublisherTestClient.frame("/mutated.ts", 0, new byte[16])),
				box.id().value(), base, publisherId, null);
	}

	static Stream<Arguments> mutatedTickets() {
		String publisherId = "publisher-" + "5eed".repeat(8);
		String valid = ticket(publisherId, box.id().value());
		List<Arguments> edges = List.of(arguments(publisherId, "empty", ""),
				arguments(publisherId, "prefix only", "dt1."), arguments(publisherId, "no parts", "dt1.."),
				arguments(publisherId, "without prefix", valid.substring(4)),
				arguments(publisherId, "upper-case prefix", "DT1." + valid.substring(4)),
				arguments(publisherId, "trailing newline", valid + "\n"),
				arguments(publisherId, "signature twice", valid + valid.substring(valid.lastIndexOf('.'))));
		return SeededCases.of(0x7153e7L, 2_000, edges, PublishTicketPropertyTests::mutatedTicket);
	}

	private static Arguments mutatedTicket(Gen gen) {
		String publisherId = "publisher-" + gen.string(HEX, 32, 32);
		String valid = ticket(publisherId, box.id().value());
		for (int attempt = 0;; attempt++) {
			Mutation mutation = gen.oneOf(Mutation.values());
			String mutated = mutation.apply(valid, publisherId, gen);
			if (!mutated.equals(valid)) {
				return arguments(publisherId, mutation.name(), mutated);
			}
			if (attempt > 100) {
				throw new IllegalStateException("No mutation of " + valid + " differs from it");
			}
		}
	}

	/** How a ticket is spoilt. */
	enum Mutation {

		/** One bit of one character flipped. */
		FLIP_ONE {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				return flip(ticket, gen);
			}
		},

		/** Bits of a few characters flipped. */
		FLIP_SOME {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String mutated = ticket;
				for (int i = gen.intBetween(2, 6); i > 0; i--) {
					mutated = flip(mutated, gen);
				}
				return mutated;
			}
		},

		/** Cut short. */
		TRUNCATE {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				return ticket.substring(0, gen.intBetween(0, ticket.length() - 1));
			}
		},

		/** A stretch cut out. */
		CUT_OUT {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				int start = gen.intBetween(0, ticket.length() - 1);
				int end = gen.intBetween(start + 1, Math.min(ticket.length(), start + 40));
				return ticket.substring(0, start) + ticket.substring(end);
			}
		},

		/** A character put in. */
		INSERT {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				int at = gen.intBetween(0, ticket.length());
				String inserted = gen.bool() ? gen.string(BASE64URL + ".=+/ %", 1, 3) : String.valueOf(gen.anyChar());
				return ticket.substring(0, at) + inserted + ticket.substring(at);
			}
		},

		/** Payload and signature swapped. */
		SWAP_PARTS {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String[] parts = parts(ticket);
				return "dt1." + parts[1] + "." + parts[0];
			}
		},

		/** The payload of a ticket for another publisher or box, with this signature. */
		MIX_PARTS {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String other = gen.bool() ? ticket("publisher-" + gen.string(HEX, 32, 32), box.id().value())
						: ticket(publisherId, "box-" + gen.string(HEX, 32, 32));
				return gen.bool() ? "dt1." + parts(other)[0] + "." + parts(ticket)[1]
						: "dt1." + parts(ticket)[0] + "." + parts(other)[1];
			}
		},

		/** Standard Base64, or padded: the same bytes in another spelling. */
		REENCODE {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String[] parts = parts(ticket);
				Base64.Encoder encoder = gen.bool() ? Base64.getEncoder() : Base64.getUrlEncoder();
				return "dt1." + encoder.encodeToString(decode(parts[0])) + "."
						+ encoder.encodeToString(decode(parts[1]));
			}
		},

		/**
		 * A payload line edited (expiry, publisher, box, entrance, version), re-encoded.
		 */
		EDIT_PAYLOAD {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String[] parts = parts(ticket);
				String[] lines = new String(decode(parts[0]), StandardCharsets.UTF_8).split("\n", -1);
				int line = gen.intBetween(0, lines.length - 1);
				lines[line] = switch (line) {
					case 4 -> Long.toString(Long.parseLong(lines[4]) + gen.intBetween(1, 100_000));
					case 0 -> "dandelion-ticket-v2";
					default -> lines[line].substring(0, lines[line].length() - 1) + gen.oneOf("0", "f", "F", " ");
				};
				return "dt1."
						+ BASE64URL_ENCODER.encodeToString(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
						+ "." + parts[1];
			}
		},

		/** One bit of the decoded payload or signature flipped, re-encoded. */
		FLIP_DECODED {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String[] parts = parts(ticket);
				int part = gen.intBetween(0, 1);
				byte[] bytes = decode(parts[part]);
				bytes[gen.intBetween(0, bytes.length - 1)] ^= (byte) (1 << gen.intBetween(0, 7));
				parts[part] = BASE64URL_ENCODER.encodeToString(bytes);
				return "dt1." + parts[0] + "." + parts[1];
			}
		},

		/**
		 * Signature bytes added (zeros, which the JDK's Ed25519 ignores after a valid
		 * signature) or taken away, re-encoded.
		 */
		RESIZE_SIGNATURE {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String[] parts = parts(ticket);
				byte[] signature = decode(parts[1]);
				byte[] resized = Arrays.copyOf(signature, signature.length + gen.oneOf(-64, -1, 1, 2, 32));
				return "dt1." + parts[0] + "." + BASE64URL_ENCODER.encodeToString(resized);
			}
		},

		/** The unused bits of a part's last character changed: the same bytes. */
		RESPELL_LAST {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				String[] parts = parts(ticket);
				int part = gen.intBetween(0, 1);
				String text = parts[part];
				char last = text.charAt(text.length() - 1);
				int unusedBits = (6 - (decode(text).length * 8) % 6) % 6;
				int value = BASE64URL.indexOf(last) ^ gen.intBetween(1, Math.max(1, (1 << unusedBits) - 1));
				parts[part] = text.substring(0, text.length() - 1) + BASE64URL.charAt(value & 63);
				return "dt1." + parts[0] + "." + parts[1];
			}
		},

		/** Characters percent-encoded, as a careless client would send them. */
		PERCENT_ENCODE {
			@Override
			String apply(String ticket, String publisherId, Gen gen) {
				int at = gen.intBetween(0, ticket.length() - 1);
				return ticket.substring(0, at) + "%" + String.format("%02X", (int) ticket.charAt(at))
						+ ticket.substring(at + 1);
			}
		};

		abstract String apply(String ticket, String publisherId, Gen gen);

	}

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final Base64.Encoder BASE64URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static String ticket(String publisherId, String boxId) {
		return new PublishTicket(TestTrust.ENTRANCE_ID, publisherId, boxId, EXPIRY)
			.sign(TestTrust.entrancePrivateKey());
	}

	private static String flip(String ticket, Gen gen) {
		int at = gen.intBetween(0, ticket.length() - 1);
		char flipped = (char) (ticket.charAt(at) ^ (1 << gen.intBetween(0, 7)));
		return ticket.substring(0, at) + flipped + ticket.substring(at + 1);
	}

	/** Payload and signature of a well-formed ticket. */
	private static String[] parts(String ticket) {
		return ticket.substring(4).split("\\.", -1);
	}

	private static byte[] decode(String part) {
		return Base64.getUrlDecoder().decode(part);
	}

	private static byte[] secret() {
		byte[] secret = new byte[NodeCredential.SECRET_BYTES];
		Arrays.fill(secret, (byte) 0x42);
		return secret;
	}

}
