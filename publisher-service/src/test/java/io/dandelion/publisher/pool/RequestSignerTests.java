package io.dandelion.publisher.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.testing.MutableClock;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The proofs the publisher sends entrances: each verifies with its credential, and their
 * times only ever go up, whatever the command, since an entrance refuses a time not later
 * than the last it accepted from the publisher.
 */
class RequestSignerTests {

	private final NodeCredential credential = NodeCredential.random(NodeId.random(Role.PUBLISHER));

	@Test
	void shouldGiveEveryProofALaterTimeEvenWithinOneMillisecond() throws AuthException {
		// A clock that stands still, then goes back
		MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_764_842_400_000L));
		RequestSigner signer = new RequestSigner(security(this.credential), clock);
		long previous = 0;
		for (int i = 0; i < 6; i++) {
			if (i == 4) {
				clock.advance(Duration.ofSeconds(-5));
			}
			long time;
			if (i % 2 == 0) {
				SearchRequest search = signer
					.sign(new SearchRequest(this.credential.id().value(), "198.51.100.20", null, null));
				MessageAuth.Proof proof = MessageAuth.proof(search).orElseThrow();
				assertThatCode(() -> MessageAuth.verify(search, proof, this.credential.secret()))
					.doesNotThrowAnyException();
				time = proof.time();
			}
			else {
				ReportRequest report = signer.sign(new ReportRequest(this.credential.id().value(), "198.51.100.20",
						null, NodeId.random(Role.BOX).value(), "/live/demo/1.ts", ReportRequest.SHA256_MISMATCH, null,
						null));
				MessageAuth.Proof proof = MessageAuth.proof(report).orElseThrow();
				assertThatCode(() -> MessageAuth.verify(report, proof, this.credential.secret()))
					.doesNotThrowAnyException();
				time = proof.time();
			}
			assertThat(time).isGreaterThan(previous);
			previous = time;
		}
	}

	@Test
	void shouldSendTheOriginalsSearchButNoReportWithoutACredential() {
		RequestSigner signer = new RequestSigner(security(null), Clock.systemUTC());
		SearchRequest search = new SearchRequest(NodeId.random(Role.PUBLISHER).value(), "198.51.100.20", null, null);
		assertThat(signer.hasCredential()).isFalse();
		assertThat(signer.sign(search)).isEqualTo(search);
		assertThatIllegalStateException().isThrownBy(
				() -> signer.sign(new ReportRequest(search.id(), "198.51.100.20", null, "box", "/a", "R", null, null)))
			.withMessageContaining("CREDENTIAL");
	}

	private static SecurityProperties security(NodeCredential credential) {
		return new SecurityProperties(SecurityMode.STRICT,
				Optional.ofNullable(credential).map(NodeCredential::format).orElse(null), true);
	}

}
