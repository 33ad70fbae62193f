package io.dandelion.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.dandelion.protocol.Commands;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.text.UntrustedText;

/**
 * Proof that an EXCHANGE or SEARCH comes from the holder of a {@link NodeCredential}:
 * {@code AUTH_TIME} (Unix milliseconds, a decimal string) and {@code AUTH_SIGNATURE} (the
 * unpadded Base64url HMAC-SHA256, keyed with the credential's secret, of the request's
 * canonical text). The canonical text is, joined by {@code \n}:
 * {@code dandelion-auth-v1}, the {@code COMMAND}, the {@code ID}, {@code AUTH_TIME}, then
 * {@code NAME=value} for each signed field in a fixed order, an absent one written
 * {@code NAME=}: for EXCHANGE {@code IP}, {@code PORT}, {@code CONNECT_WS},
 * {@code DATA_PORT}, {@code DATA_SCHEME}, the fields that send publishers and viewers
 * somewhere; for SEARCH {@code IP}, {@code PORT}, {@code AMOUNT}; for REPORT {@code IP},
 * {@code PORT}, {@code BOX_ID}, {@code FILE_PATH}, {@code REASON}. Numbers are written as
 * decimal integers, so a {@code "7070.0"} on the wire signs as {@code 7070}.
 * <p>
 * Freshness (the replay window, and a time later than the last accepted) is the
 * verifier's to check, since it needs the verifier's memory of earlier requests.
 */
public final class MessageAuth {

	/** Field carrying the signing time, Unix ms as a decimal string. */
	public static final String TIME_FIELD = "AUTH_TIME";

	/** Field carrying the signature. */
	public static final String SIGNATURE_FIELD = "AUTH_SIGNATURE";

	/** How far an {@code AUTH_TIME} may be from the verifier's clock by default. */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

	/**
	 * Fields a box may not set in the exchange data an entrance stores and hands on: its
	 * proof, and what the entrance adds to SEARCH replies for publishers.
	 */
	public static final Set<String> RESERVED_FIELDS = Set.of(TIME_FIELD, SIGNATURE_FIELD, PublishTicket.FIELD,
			ViewerUrlSignature.SECRET_FIELD);

	private static final String VERSION = "dandelion-auth-v1";

	private static final int SIGNATURE_CHARS = 43;

	private static final int MAX_TIME_CHARS = 16;

	private MessageAuth() {
	}

	/**
	 * A proof as read from a request.
	 *
	 * @param time the signing time, Unix ms
	 * @param timeText the time as sent, which the signature covers
	 * @param signature the signature as sent
	 */
	public record Proof(long time, String timeText, String signature) {

		/**
		 * The signing time as an instant.
		 * @return the time
		 */
		public Instant instant() {
			return Instant.ofEpochMilli(this.time);
		}

	}

	/**
	 * The EXCHANGE with a proof of the credential added.
	 * @param request the heartbeat, without a proof
	 * @param credential the box's credential
	 * @param now the signing time
	 * @return a copy carrying {@code AUTH_TIME} and {@code AUTH_SIGNATURE}
	 */
	public static ExchangeRequest sign(ExchangeRequest request, NodeCredential credential, Instant now) {
		String time = Long.toString(now.toEpochMilli());
		Map<String, String> extra = new LinkedHashMap<>(request.extra());
		extra.put(TIME_FIELD, time);
		extra.put(SIGNATURE_FIELD, signature(credential.secret(), canonical(request, time)));
		return request.withExtra(extra);
	}

	/**
	 * The SEARCH with a proof of the credential added.
	 * @param request the search, without a proof
	 * @param credential the publisher's credential
	 * @param now the signing time
	 * @return a copy carrying {@code AUTH_TIME} and {@code AUTH_SIGNATURE}
	 */
	public static SearchRequest sign(SearchRequest request, NodeCredential credential, Instant now) {
		String time = Long.toString(now.toEpochMilli());
		return request.withProof(time, signature(credential.secret(), canonical(request, time)));
	}

	/**
	 * The REPORT with a proof of the credential added.
	 * @param request the report, without a proof
	 * @param credential the publisher's credential
	 * @param now the signing time
	 * @return a copy carrying {@code AUTH_TIME} and {@code AUTH_SIGNATURE}
	 */
	public static ReportRequest sign(ReportRequest request, NodeCredential credential, Instant now) {
		String time = Long.toString(now.toEpochMilli());
		return request.withProof(time, signature(credential.secret(), canonical(request, time)));
	}

	/**
	 * The proof a REPORT carries.
	 * @param request the report
	 * @return the proof, empty when the request carries neither field
	 * @throws AuthException when only one field is present or either is malformed
	 */
	public static Optional<Proof> proof(ReportRequest request) throws AuthException {
		return proof(request.authTime(), request.authSignature());
	}

	/**
	 * Check that a REPORT's proof was made with the secret.
	 * @param request the report
	 * @param proof its proof
	 * @param secret the secret on record for the request's ID
	 * @throws AuthException when the signature does not match
	 */
	public static void verify(ReportRequest request, Proof proof, byte[] secret) throws AuthException {
		verify(canonical(request, proof.timeText()), proof, secret, request.id());
	}

	/**
	 * The proof an EXCHANGE carries.
	 * @param request the heartbeat
	 * @return the proof, empty when the request carries neither field
	 * @throws AuthException when only one field is present or either is malformed
	 */
	public static Optional<Proof> proof(ExchangeRequest request) throws AuthException {
		return proof(request.extra().get(TIME_FIELD), request.extra().get(SIGNATURE_FIELD));
	}

	/**
	 * The proof a SEARCH carries.
	 * @param request the search
	 * @return the proof, empty when the request carries neither field
	 * @throws AuthException when only one field is present or either is malformed
	 */
	public static Optional<Proof> proof(SearchRequest request) throws AuthException {
		return proof(request.authTime(), request.authSignature());
	}

	/**
	 * Check that an EXCHANGE's proof was made with the secret.
	 * @param request the heartbeat
	 * @param proof its proof
	 * @param secret the secret on record for the request's ID
	 * @throws AuthException when the signature does not match
	 */
	public static void verify(ExchangeRequest request, Proof proof, byte[] secret) throws AuthException {
		verify(canonical(request, proof.timeText()), proof, secret, request.id());
	}

	/**
	 * Check that a SEARCH's proof was made with the secret.
	 * @param request the search
	 * @param proof its proof
	 * @param secret the secret on record for the request's ID
	 * @throws AuthException when the signature does not match
	 */
	public static void verify(SearchRequest request, Proof proof, byte[] secret) throws AuthException {
		verify(canonical(request, proof.timeText()), proof, secret, request.id());
	}

	/**
	 * Check that a proof's time is within the window around the verifier's clock.
	 * @param proof the proof
	 * @param now the verifier's clock
	 * @param window how far off the time may be either way
	 * @throws AuthException ({@code STALE_REQUEST}) when it is not
	 */
	public static void checkWindow(Proof proof, Instant now, Duration window) throws AuthException {
		long offMillis = Math.abs(now.toEpochMilli() - proof.time());
		if (offMillis > window.toMillis()) {
			throw new AuthException(AuthException.Code.STALE_REQUEST, "AUTH_TIME is " + offMillis
					+ " ms away from this node's clock, more than the " + window.toSeconds() + " s allowed");
		}
	}

	/**
	 * The EXCHANGE without its proof, as an entrance stores it.
	 * @param request the heartbeat
	 * @return a copy without the fields of {@link #RESERVED_FIELDS}
	 */
	public static ExchangeRequest withoutReservedFields(ExchangeRequest request) {
		if (RESERVED_FIELDS.stream().noneMatch(request.extra()::containsKey)) {
			return request;
		}
		Map<String, String> extra = new LinkedHashMap<>(request.extra());
		extra.keySet().removeAll(RESERVED_FIELDS);
		return request.withExtra(extra);
	}

	static String canonical(ExchangeRequest request, String time) {
		return String.join("\n", VERSION, Commands.EXCHANGE, request.id(), time, "IP=" + text(request.ip()),
				"PORT=" + text(request.port()), "CONNECT_WS=" + text(request.connectWs()),
				"DATA_PORT=" + text(request.dataPort()), "DATA_SCHEME=" + text(request.dataScheme()));
	}

	static String canonical(SearchRequest request, String time) {
		return String.join("\n", VERSION, Commands.SEARCH, request.id(), time, "IP=" + text(request.ip()),
				"PORT=" + text(request.port()), "AMOUNT=" + text(request.amount()));
	}

	static String canonical(ReportRequest request, String time) {
		return String.join("\n", VERSION, Commands.REPORT, request.id(), time, "IP=" + text(request.ip()),
				"PORT=" + text(request.port()), "BOX_ID=" + text(request.boxId()),
				"FILE_PATH=" + text(request.filePath()), "REASON=" + text(request.reason()));
	}

	static byte[] hmac(byte[] key, byte[] data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	private static String signature(byte[] secret, String canonical) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(hmac(secret, canonical.getBytes(StandardCharsets.UTF_8)));
	}

	private static void verify(String canonical, Proof proof, byte[] secret, String id) throws AuthException {
		// Compared as text, so a non-canonical Base64 spelling of the same bytes is
		// refused too
		byte[] expected = signature(secret, canonical).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, proof.signature().getBytes(StandardCharsets.US_ASCII))) {
			throw new AuthException(AuthException.Code.UNAUTHENTICATED,
					"AUTH_SIGNATURE does not match the credential on record for " + UntrustedText.quote(id));
		}
	}

	private static Optional<Proof> proof(String time, String signature) throws AuthException {
		if (time == null && signature == null) {
			return Optional.empty();
		}
		if (time == null || signature == null) {
			throw new AuthException(AuthException.Code.UNAUTHENTICATED,
					"A proof needs both " + TIME_FIELD + " and " + SIGNATURE_FIELD);
		}
		if (time.isEmpty() || time.length() > MAX_TIME_CHARS || !time.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new AuthException(AuthException.Code.UNAUTHENTICATED,
					TIME_FIELD + " is Unix milliseconds as decimal digits, not " + UntrustedText.quote(time));
		}
		if (signature.length() != SIGNATURE_CHARS || !isBase64Url(signature)) {
			throw new AuthException(AuthException.Code.UNAUTHENTICATED,
					SIGNATURE_FIELD + " is 43 characters of unpadded Base64url");
		}
		return Optional.of(new Proof(Long.parseLong(time), time, signature));
	}

	static boolean isBase64Url(String text) {
		return text.chars()
			.allMatch((c) -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_');
	}

	private static String text(Object value) {
		return Objects.toString(value, "");
	}

}
