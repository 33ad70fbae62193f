package io.dandelion.entrance.api;

import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import io.dandelion.entrance.registry.BoxRepository;
import io.dandelion.entrance.trust.CredentialRepository;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;

/**
 * Issues, lists and revokes the credentials of boxes and publishers. Revoking a box's
 * credential also drops the box at once, so that SEARCH stops handing it out.
 */
@Service
class CredentialService {

	private static final Logger logger = LoggerFactory.getLogger(CredentialService.class);

	private final CredentialRepository credentials;

	private final BoxRepository boxes;

	CredentialService(CredentialRepository credentials, BoxRepository boxes) {
		this.credentials = credentials;
		this.boxes = boxes;
	}

	/**
	 * Issues a credential.
	 * @param id the box's or publisher's ID
	 * @param body {@code {"SECRET": "…"}} to import a given secret; {@code null} (no
	 * body) or {@code {}} for a fresh one
	 * @return the credential; fails with {@link InvalidNodeIdException},
	 * {@link InvalidSecretException} or {@link CredentialExistsException}
	 */
	Mono<NodeCredential> issue(String id, CredentialRequest body) {
		return Mono.fromCallable(() -> {
			NodeId nodeId = nodeId(id);
			byte[] given = givenSecret(body);
			return new Issue((given != null) ? new NodeCredential(nodeId, given) : NodeCredential.random(nodeId),
					given != null);
		})
			.flatMap((issue) -> this.credentials.issue(issue.credential())
				.flatMap((issued) -> issued ? Mono.just(issue) : Mono.error(new CredentialExistsException(id))))
			.doOnNext((issue) -> logger.info("Credential issued to {} ({})", id,
					issue.imported() ? "the secret given" : "a fresh secret"))
			.map(Issue::credential);
	}

	/**
	 * The IDs that have a credential.
	 * @return the IDs, sorted
	 */
	Flux<String> ids() {
		return this.credentials.ids();
	}

	/**
	 * Revokes a credential; a box's record is dropped with it.
	 * @param id the box's or publisher's ID
	 * @return done; fails with {@link InvalidNodeIdException} or
	 * {@link UnknownCredentialException}
	 */
	Mono<Void> revoke(String id) {
		return Mono.fromCallable(() -> nodeId(id))
			.flatMap((nodeId) -> this.credentials.revoke(id)
				.flatMap((revoked) -> revoked ? Mono.just(nodeId) : Mono.error(new UnknownCredentialException(id))))
			// The credential goes first: a heartbeat in flight is then no longer stored
			.flatMap((nodeId) -> (nodeId.role() == Role.BOX) ? this.boxes.drop(id) : Mono.just(false))
			.doOnNext((dropped) -> logger.info("Credential of {} revoked{}", id,
					dropped ? "; the box is dropped from the live boxes" : ""))
			.then();
	}

	private static NodeId nodeId(String id) {
		NodeId nodeId;
		try {
			nodeId = NodeId.parse(id);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidNodeIdException("Credentials are for boxes and publishers: " + ex.getMessage());
		}
		if (nodeId.role() == Role.ENTRANCE) {
			throw new InvalidNodeIdException(
					id + " is an entrance; credentials are for boxes and publishers (entrances sign with their key)");
		}
		return nodeId;
	}

	/** The secret of a PUT's body, {@code null} for none. */
	private static byte[] givenSecret(CredentialRequest body) {
		if (body == null || body.isEmpty()) {
			return null;
		}
		Set<String> unknown = new TreeSet<>(body.unknown().keySet());
		if (!unknown.isEmpty()) {
			throw new InvalidSecretException("The body is {\"SECRET\": \"…\"} or nothing; unknown fields: "
					+ UntrustedText.quote(String.join(", ", unknown)));
		}
		if (body.secret() == null || !body.secret().isTextual()) {
			throw new InvalidSecretException("The body is {\"SECRET\": \"…\"} or nothing; SECRET must be a string");
		}
		String problem = "SECRET must be 43 characters of unpadded Base64url (32 bytes), "
				+ "the part after the ':' of a credential";
		String text = body.secret().textValue();
		byte[] secret;
		try {
			secret = NodeCredential.decodeSecret(text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSecretException(problem);
		}
		// Refuses padding, and last characters whose unused bits are set, which would
		// read as another text than the one shown back
		if (secret.length != NodeCredential.SECRET_BYTES
				|| !Base64.getUrlEncoder().withoutPadding().encodeToString(secret).equals(text)) {
			throw new InvalidSecretException(problem);
		}
		return secret;
	}

	private record Issue(NodeCredential credential, boolean imported) {

	}

}
