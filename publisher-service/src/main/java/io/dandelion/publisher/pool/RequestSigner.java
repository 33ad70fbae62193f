package io.dandelion.publisher.pool;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.support.security.SecurityProperties;

import org.springframework.stereotype.Component;

/**
 * Adds the proof of the publisher's {@code CREDENTIAL} to what it sends entrances
 * ({@link MessageAuth}). An entrance accepts an {@code AUTH_TIME} only when it is later
 * than the last one it accepted from this publisher, whatever the command, so the times
 * given out here never repeat and never go back, even when a SEARCH and a REPORT are
 * signed in the same millisecond.
 */
@Component
class RequestSigner {

	private final NodeCredential credential;

	private final Clock clock;

	private final AtomicLong lastTime = new AtomicLong();

	RequestSigner(SecurityProperties security, Clock clock) {
		this.credential = security.nodeCredential().orElse(null);
		this.clock = clock;
	}

	/**
	 * Whether there is a credential to prove.
	 * @return {@code true} when {@code CREDENTIAL} is set
	 */
	boolean hasCredential() {
		return this.credential != null;
	}

	/**
	 * The SEARCH to send now: with a proof when there is a credential, as the original's
	 * otherwise.
	 * @param request the search, without a proof
	 * @return the search to send
	 */
	SearchRequest sign(SearchRequest request) {
		return (this.credential != null) ? MessageAuth.sign(request, this.credential, nextTime()) : request;
	}

	/**
	 * The REPORT to send now, with a proof.
	 * @param request the report, without a proof
	 * @return the report to send
	 * @throws IllegalStateException when there is no credential: a REPORT without a proof
	 * is refused in every mode
	 */
	ReportRequest sign(ReportRequest request) {
		if (this.credential == null) {
			throw new IllegalStateException("A REPORT must prove a credential, and CREDENTIAL is not set");
		}
		return MessageAuth.sign(request, this.credential, nextTime());
	}

	private Instant nextTime() {
		long now = this.clock.millis();
		return Instant.ofEpochMilli(this.lastTime.updateAndGet((last) -> Math.max(now, last + 1)));
	}

}
