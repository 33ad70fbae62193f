package io.dandelion.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ViewerUrlSignatureTests {

	private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

	private static final String SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80";

	private static final String PATH = "/publisher-0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5/live/demo/3.ts";

	@Test
	void shouldMatchNginxSecureLinkMd5() {
		// echo -n '1764842400/publisher-…/live/demo/3.ts q83v…' | openssl md5 -binary |
		// base64 | tr +/ -_ | tr -d =
		String query = ViewerUrlSignature.query(PATH, Instant.ofEpochSecond(1764842400L), SECRET);
		assertThat(query).isEqualTo("md5=" + md5Reference("1764842400" + PATH + " " + SECRET) + "&expires=1764842400");
	}

	@Test
	void shouldAcceptItsOwnSignatureUntilItExpires() {
		String[] parts = parameters(ViewerUrlSignature.query(PATH, NOW.plusSeconds(600), SECRET));
		assertThat(ViewerUrlSignature.isValid(PATH, parts[0], parts[1], SECRET, NOW)).isTrue();
		assertThat(ViewerUrlSignature.isValid(PATH, parts[0], parts[1], SECRET, NOW.plusSeconds(600))).isTrue();
		assertThat(ViewerUrlSignature.isValid(PATH, parts[0], parts[1], SECRET, NOW.plusSeconds(601))).isFalse();
	}

	@ParameterizedTest
	@MethodSource("refusals")
	void shouldRefuse(String path, String md5, String expires, String secret) {
		assertThat(ViewerUrlSignature.isValid(path, md5, expires, secret, NOW)).isFalse();
	}

	static Stream<Arguments> refusals() {
		String[] good = parameters(ViewerUrlSignature.query(PATH, NOW.plusSeconds(600), SECRET));
		String otherSecret = "A" + SECRET.substring(1);
		return Stream.of(arguments(PATH, null, good[1], SECRET), arguments(PATH, good[0], null, SECRET),
				arguments(PATH, "", good[1], SECRET), arguments(PATH, good[0], "", SECRET),
				arguments(PATH + "x", good[0], good[1], SECRET), arguments(PATH, good[0], good[1], otherSecret),
				arguments(PATH, good[0], Long.toString(Long.parseLong(good[1]) + 1), SECRET),
				arguments(PATH, good[0], "-" + good[1], SECRET), arguments(PATH, good[0], good[1] + ".0", SECRET),
				arguments(PATH, good[0], "99999999999999999999", SECRET),
				arguments(PATH, good[0].toLowerCase(Locale.ROOT) + "x", good[1], SECRET));
	}

	private static String[] parameters(String query) {
		String md5 = query.substring("md5=".length(), query.indexOf('&'));
		String expires = query.substring(query.indexOf("&expires=") + "&expires=".length());
		return new String[] { md5, expires };
	}

	private static String md5Reference(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(digest).replace('+', '-').replace('/', '_').replace("=", "");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
