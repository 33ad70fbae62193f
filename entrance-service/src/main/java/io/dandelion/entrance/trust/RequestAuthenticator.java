package io.dandelion.entrance.trust;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.AuthException;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.MessageAuth.Proof;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;

/**
 * Decides whether an EXCHANGE, SEARCH or REPORT is accepted, before anything of it is
 * stored or answered. A request with a proof is accepted only when its ID has a
 * credential, the signature matches it, its {@code AUTH_TIME} is within the window around
 * this entrance's clock and later than the last one accepted from that ID. A request
 * without a proof is accepted only in compatible mode, and only from an ID without a
 * credential; a REPORT never.
 */
@Component
public class RequestAuthenticator {

	private final CredentialRepository credentials;

	private final SecurityMode mode;

	private final Duration window;

	private final Clock clock;

	public RequestAuthenticator(CredentialRepository credentials, SecurityProperties security,
			EntranceProperties properties, Clock clock) {
		this.credentials = credentials;
		this.mode = security.mode();
		this.window = properties.security().authWindow();
		this.clock = clock;
	}

	/**
	 * Checks a box's heartbeat.
	 * @param request the EXCHANGE
	 * @return who sent it; fails with {@link AuthException} when it is refused
	 */
	public Mono<Authentication> authenticate(ExchangeRequest request) {
		return Mono.fromCallable(() -> MessageAuth.proof(request))
			.flatMap((proof) -> authenticate(request.id(), proof,
					(credential) -> MessageAuth.verify(request, proof.orElseThrow(), credential.secret())));
	}

	/**
	 * Checks a publisher's search.
	 * @param request the SEARCH
	 * @return who sent it; fails with {@link AuthException} when it is refused
	 */
	public Mono<Authentication> authenticate(SearchRequest request) {
		return Mono.fromCallable(() -> MessageAuth.proof(request))
			.flatMap((proof) -> authenticate(request.id(), proof,
					(credential) -> MessageAuth.verify(request, proof.orElseThrow(), credential.secret())));
	}

	/**
	 * Checks a publisher's report, which must prove a credential in every mode: it lowers
	 * a box's rank, and the original never sent one.
	 * @param request the REPORT
	 * @return who sent it, always {@link Authentication#proven() proven}; fails with
	 * {@link AuthException} when it is refused
	 */
	public Mono<Authentication> authenticate(ReportRequest request) {
		return Mono.fromCallable(() -> MessageAuth.proof(request)).flatMap((proof) -> {
			if (proof.isEmpty()) {
				return Mono.error(unauthenticated(request.id() + " sent a REPORT without a proof (AUTH_TIME, "
						+ "AUTH_SIGNATURE); a report must prove a publisher credential in every SECURITY_MODE"));
			}
			return authenticate(request.id(), proof,
					(credential) -> MessageAuth.verify(request, proof.get(), credential.secret()));
		});
	}

	private Mono<Authentication> authenticate(String nodeId, Optional<Proof> proof, Signature signature) {
		Mono<Optional<NodeCredential>> onRecord = this.credentials.find(nodeId)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty());
		if (proof.isEmpty()) {
			if (!this.mode.acceptsUnauthenticated()) {
				return Mono.error(unauthenticated(nodeId + " sent no proof (AUTH_TIME, AUTH_SIGNATURE); "
						+ "this entrance accepts only nodes with a credential (SECURITY_MODE strict)"));
			}
			return onRecord.flatMap((credential) -> credential.isPresent()
					? Mono.error(unauthenticated(nodeId + " has a credential, so its requests must prove it"))
					: Mono.just(Authentication.unsigned(nodeId)));
		}
		return onRecord.flatMap((credential) -> {
			if (credential.isEmpty()) {
				return Mono.error(unauthenticated("No credential was issued to " + nodeId + " on this entrance"));
			}
			try {
				signature.verify(credential.get());
				MessageAuth.checkWindow(proof.get(), this.clock.instant(), this.window);
			}
			catch (AuthException ex) {
				return Mono.error(ex);
			}
			return this.credentials.acceptTime(credential.get(), proof.get().time()).flatMap((check) -> switch (check) {
				case ACCEPTED -> Mono.just(new Authentication(nodeId, credential.get()));
				case NOT_LATER -> Mono.error(new AuthException(AuthException.Code.STALE_REQUEST,
						"AUTH_TIME " + proof.get().time() + " is not later than the last one accepted from " + nodeId));
				case CREDENTIAL_CHANGED -> Mono.error(unauthenticated(
						"The credential of " + nodeId + " was revoked or replaced while the request was checked"));
			});
		});
	}

	private static AuthException unauthenticated(String message) {
		return new AuthException(AuthException.Code.UNAUTHENTICATED, message);
	}

	/** The check of a request's signature against a credential. */
	@FunctionalInterface
	private interface Signature {

		void verify(NodeCredential credential) throws AuthException;

	}

}
