package io.dandelion.protocol.auth;

import java.time.DateTimeException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;

import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

/**
 * An entrance's permission for one publisher to publish to one box until a time, signed
 * with the entrance's Ed25519 key. The entrance puts one in each box of a SEARCH reply
 * ({@code PUBLISH_TICKET}); the publisher hands it to the box in PUBLISH; the box accepts
 * the publisher only with a ticket naming both, unexpired, signed by a key it trusts
 * ({@code ENTRANCE_PUBLIC_KEYS}).
 * <p>
 * Written {@code dt1.{payload}.{signature}}, both parts unpadded Base64url; the payload
 * is the UTF-8 text
 * {@code dandelion-ticket-v1\n{entrance-id}\n{publisher-id}\n{box-id}\n{expiry, Unix
 * seconds}} and the signature is Ed25519 over the payload's bytes.
 *
 * @param entranceId the entrance that signed it
 * @param publisherId the publisher it lets publish
 * @param boxId the box it lets the publisher publish to
 * @param expiresAt when it stops being accepted, to the second
 */
public record PublishTicket(String entranceId, String publisherId, String boxId, Instant expiresAt) {

	/** The field of a SEARCH reply's box entry and of PUBLISH that carries a ticket. */
	public static final String FIELD = "PUBLISH_TICKET";

	/** Longest ticket read; a real one is about 250 characters. */
	public static final int MAX_CHARS = 1024;

	private static final String PREFIX = "dt1.";

	private static final int SIGNATURE_BYTES = 64;

	private static final String VERSION = "dandelion-ticket-v1";

	public PublishTicket {
		new NodeId(Role.ENTRANCE, Objects.requireNonNull(entranceId, "entranceId"));
		new NodeId(Role.PUBLISHER, Objects.requireNonNull(publisherId, "publisherId"));
		new NodeId(Role.BOX, Objects.requireNonNull(boxId, "boxId"));
		expiresAt = Instant.ofEpochSecond(Objects.requireNonNull(expiresAt, "expiresAt").getEpochSecond());
	}

	/**
	 * The ticket, signed.
	 * @param key the entrance's Ed25519 private key
	 * @return {@code dt1.{payload}.{signature}}
	 */
	public String sign(PrivateKey key) {
		byte[] payload = payload().getBytes(StandardCharsets.UTF_8);
		try {
			Signature signer = Signature.getInstance("Ed25519");
			signer.initSign(key);
			signer.update(payload);
			Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
			return PREFIX + base64.encodeToString(payload) + "." + base64.encodeToString(signer.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot sign a publish ticket with this key: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Read a ticket and check it.
	 * @param text the ticket as sent
	 * @param trustedKeys the entrance keys the box trusts
	 * @param publisherId the publisher that presents it
	 * @param boxId the box it is presented to
	 * @param now the box's clock
	 * @return the ticket
	 * @throws AuthException ({@code BAD_TICKET}) when it is missing, malformed, signed by
	 * none of the keys, for another publisher or box, or expired
	 */
	public static PublishTicket verify(String text, Collection<PublicKey> trustedKeys, String publisherId, String boxId,
			Instant now) throws AuthException {
		if (text == null || text.isEmpty()) {
			throw bad("PUBLISH needs a " + FIELD + " from an entrance this box trusts (sent in SEARCH replies)");
		}
		if (text.length() > MAX_CHARS || !text.startsWith(PREFIX)) {
			throw bad(FIELD + " is not a ticket (dt1.PAYLOAD.SIGNATURE)");
		}
		String[] parts = text.substring(PREFIX.length()).split("\\.", -1);
		if (parts.length != 2 || !MessageAuth.isBase64Url(parts[0]) || !MessageAuth.isBase64Url(parts[1])) {
			throw bad(FIELD + " is not a ticket (dt1.PAYLOAD.SIGNATURE)");
		}
		byte[] payload;
		byte[] signature;
		try {
			payload = Base64.getUrlDecoder().decode(parts[0]);
			signature = Base64.getUrlDecoder().decode(parts[1]);
		}
		catch (IllegalArgumentException ex) {
			throw bad(FIELD + " is not a ticket (its parts are not Base64url)");
		}
		// One spelling per ticket: the JDK's Ed25519 takes a signature with a trailing
		// zero byte, and Base64 decoders ignore the unused bits of a last character
		Base64.Encoder canonical = Base64.getUrlEncoder().withoutPadding();
		if (signature.length != SIGNATURE_BYTES || !canonical.encodeToString(payload).equals(parts[0])
				|| !canonical.encodeToString(signature).equals(parts[1])) {
			throw bad(FIELD + " is not a ticket (its parts are not as an entrance writes them)");
		}
		if (!isSignedByOneOf(payload, signature, trustedKeys)) {
			throw bad(FIELD + " is not signed by an entrance key this box trusts (ENTRANCE_PUBLIC_KEYS)");
		}
		PublishTicket ticket = parse(new String(payload, StandardCharsets.UTF_8));
		if (!ticket.publisherId.equals(publisherId)) {
			throw bad(FIELD + " was issued to another publisher, " + ticket.publisherId);
		}
		if (!ticket.boxId.equals(boxId)) {
			throw bad(FIELD + " was issued for another box, " + ticket.boxId);
		}
		if (!now.isBefore(ticket.expiresAt)) {
			throw bad(FIELD + " expired at " + ticket.expiresAt + "; search again for a fresh one");
		}
		return ticket;
	}

	private String payload() {
		return String.join("\n", VERSION, this.entranceId, this.publisherId, this.boxId,
				Long.toString(this.expiresAt.getEpochSecond()));
	}

	private static PublishTicket parse(String payload) throws AuthException {
		// Only reached for a payload a trusted key signed, so a malformed one is our bug
		String[] lines = payload.split("\n", -1);
		if (lines.length != 5 || !VERSION.equals(lines[0])) {
			throw bad(FIELD + " is of an unknown version: " + UntrustedText.quote(lines[0]));
		}
		try {
			return new PublishTicket(lines[1], lines[2], lines[3], Instant.ofEpochSecond(Long.parseLong(lines[4])));
		}
		catch (IllegalArgumentException | DateTimeException ex) {
			throw bad(FIELD + " does not read: " + ex.getMessage());
		}
	}

	private static boolean isSignedByOneOf(byte[] payload, byte[] signature, Collection<PublicKey> keys) {
		for (PublicKey key : keys) {
			try {
				Signature verifier = Signature.getInstance("Ed25519");
				verifier.initVerify(key);
				verifier.update(payload);
				if (verifier.verify(signature)) {
					return true;
				}
			}
			catch (GeneralSecurityException ex) {
				// A signature of the wrong length or shape: not signed by this key
			}
		}
		return false;
	}

	private static AuthException bad(String message) {
		return new AuthException(AuthException.Code.BAD_TICKET, message);
	}

}
