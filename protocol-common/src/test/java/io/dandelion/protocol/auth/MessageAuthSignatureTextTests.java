package io.dandelion.protocol.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dandelion.protocol.BoxMetrics;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code AUTH_SIGNATURE} is checked as the text it must be: the last of its 43 characters
 * carries two unused bits, which Base64 decoders ignore, so comparing decoded bytes would
 * accept three other texts for every signature.
 */
class MessageAuthSignatureTextTests {

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	@Test
	void shouldRefuseEveryOtherTextThatDecodesToTheSameSignature() throws AuthException {
		NodeCredential credential = NodeCredential.random(NodeId.random(Role.BOX));
		String id = credential.id().value();
		ExchangeRequest signed = MessageAuth.sign(ExchangeRequest.of(id, "203.0.113.7", 7070,
				"http://203.0.113.7:7070/dandelion/" + id + "/ws/", BoxMetrics.NONE), credential, Instant.now());
		String signature = signed.extra().get(MessageAuth.SIGNATURE_FIELD);
		assertThatNoException()
			.isThrownBy(() -> MessageAuth.verify(signed, MessageAuth.proof(signed).orElseThrow(), credential.secret()));

		int last = ALPHABET.indexOf(signature.charAt(signature.length() - 1));
		int alternatives = 0;
		for (int sameBits = last & ~3; sameBits < (last & ~3) + 4; sameBits++) {
			if (sameBits == last) {
				continue;
			}
			Map<String, String> extra = new LinkedHashMap<>(signed.extra());
			extra.put(MessageAuth.SIGNATURE_FIELD,
					signature.substring(0, signature.length() - 1) + ALPHABET.charAt(sameBits));
			ExchangeRequest altered = signed.withExtra(extra);
			AuthException refused = catchThrowableOfType(AuthException.class,
					() -> MessageAuth.verify(altered, MessageAuth.proof(altered).orElseThrow(), credential.secret()));
			assertThat(refused).isNotNull();
			assertThat(refused.code()).isEqualTo(AuthException.Code.UNAUTHENTICATED);
			alternatives++;
		}
		assertThat(alternatives).isEqualTo(3);
	}

}
