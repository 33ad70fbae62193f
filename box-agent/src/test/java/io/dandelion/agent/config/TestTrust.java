package io.dandelion.agent.config;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dandelion.protocol.auth.Ed25519Keys;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.auth.PublishTicket;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What a box in strict mode needs in tests: an entrance key pair standing in for the
 * entrances the box trusts (the same in every run, so seeded cases repeat), publish
 * tickets it signs, credentials, and viewer URLs signed with a box's URL secret.
 */
public final class TestTrust {

	/** The stand-in entrance's ID, named in its tickets. */
	public static final String ENTRANCE_ID = "entrance-" + "e".repeat(32);

	private static final KeyPair ENTRANCE_KEYS = keyPair(0x5eed);

	private static final Duration TICKET_TTL = Duration.ofMinutes(5);

	private TestTrust() {
	}

	/**
	 * An Ed25519 key pair drawn from a seed: the same in every run.
	 * @param seed the seed
	 * @return the pair
	 */
	public static KeyPair keyPair(long seed) {
		try {
			SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
			random.setSeed(seed);
			KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
			generator.initialize(NamedParameterSpec.ED25519, random);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The stand-in entrance's public key, as {@code ENTRANCE_PUBLIC_KEYS} holds it.
	 * @return 43 characters of Base64url
	 */
	public static String entrancePublicKey() {
		return Ed25519Keys.encode(ENTRANCE_KEYS.getPublic());
	}

	/**
	 * The stand-in entrance's private key, to sign tickets of one's own.
	 * @return the key
	 */
	public static PrivateKey entrancePrivateKey() {
		return ENTRANCE_KEYS.getPrivate();
	}

	/**
	 * A valid ticket from the stand-in entrance, for five minutes.
	 * @param publisherId the publisher
	 * @param boxId the box
	 * @return {@code dt1.…}
	 */
	public static String ticket(String publisherId, String boxId) {
		return new PublishTicket(ENTRANCE_ID, publisherId, boxId, Instant.now().plus(TICKET_TTL))
			.sign(ENTRANCE_KEYS.getPrivate());
	}

	/**
	 * A fresh credential for a new box.
	 * @return the credential
	 */
	public static NodeCredential boxCredential() {
		return NodeCredential.random(NodeId.random(Role.BOX));
	}

	/**
	 * The settings of a box in strict mode with a credential that trusts the stand-in
	 * entrance.
	 * @param registry the test's properties
	 * @param credential the box's credential
	 */
	public static void strictBox(DynamicPropertyRegistry registry, NodeCredential credential) {
		registry.add("dandelion.security.mode", () -> "strict");
		registry.add("dandelion.security.credential", credential::format);
		registry.add("box.security.entrance-public-keys[0]", TestTrust::entrancePublicKey);
	}

	/**
	 * The same settings as command-line arguments, for a box started by the test.
	 * @param credential the box's credential
	 * @return the arguments
	 */
	public static List<String> strictBoxArguments(NodeCredential credential) {
		return List.of("--dandelion.security.mode=strict", "--dandelion.security.credential=" + credential.format(),
				"--box.security.entrance-public-keys[0]=" + entrancePublicKey());
	}

	/**
	 * A viewer URL's path and query, signed for ten minutes as publishers sign them.
	 * @param path the decoded path, e.g. {@code /publisher-…/a.ts}
	 * @param credential the box's credential
	 * @return {@code path?md5=…&expires=…}
	 */
	public static String signed(String path, NodeCredential credential) {
		return path + "?"
				+ ViewerUrlSignature.query(path, Instant.now().plus(Duration.ofMinutes(10)), credential.urlSecret());
	}

}
