package io.dandelion.entrance.trust;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.support.redis.LuaScripts;

/**
 * The credentials this entrance issued, in Redis: {@code {ent}:CREDENTIALS} (node ID to
 * secret, unpadded Base64url) and {@code {ent}:AUTH_TIMES} (node ID to the latest
 * {@code AUTH_TIME} accepted from it, Unix ms).
 */
@Repository
public class CredentialRepository {

	private static final RedisScript<Long> ACCEPT_TIME = LuaScripts.fromClasspath("scripts/accept-auth-time.lua",
			Long.class);

	private static final RedisScript<Long> REVOKE = LuaScripts.fromClasspath("scripts/revoke-credential.lua",
			Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys;

	public CredentialRepository(ReactiveStringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Records a credential, unless its node already has one.
	 * @param credential the credential
	 * @return {@code true} when recorded, {@code false} when the node already had one
	 * (which is kept)
	 */
	public Mono<Boolean> issue(NodeCredential credential) {
		return this.redis.<String, String>opsForHash()
			.putIfAbsent(this.keys.credentials(), credential.id().value(), credential.encodedSecret());
	}

	/**
	 * A node's credential.
	 * @param nodeId the node's ID
	 * @return the credential, or empty when the node has none; fails with
	 * {@link IllegalStateException} when the stored secret does not read
	 */
	public Mono<NodeCredential> find(String nodeId) {
		return this.redis.<String, String>opsForHash()
			.get(this.keys.credentials(), nodeId)
			.map((secret) -> credential(nodeId, secret));
	}

	/**
	 * Whether a node has a credential.
	 * @param nodeId the node's ID
	 * @return {@code true} when it has one
	 */
	public Mono<Boolean> exists(String nodeId) {
		return this.redis.<String, String>opsForHash().hasKey(this.keys.credentials(), nodeId);
	}

	/**
	 * The credentials of some nodes.
	 * @param nodeIds the nodes' IDs
	 * @return node ID to credential, for the nodes that have one
	 */
	public Mono<Map<String, NodeCredential>> findAll(Collection<String> nodeIds) {
		if (nodeIds.isEmpty()) {
			return Mono.just(Map.of());
		}
		List<String> ids = new ArrayList<>(nodeIds);
		return this.redis.<String, String>opsForHash().multiGet(this.keys.credentials(), ids).map((secrets) -> {
			Map<String, NodeCredential> found = new HashMap<>();
			for (int i = 0; i < ids.size(); i++) {
				if (secrets.get(i) != null) {
					found.put(ids.get(i), credential(ids.get(i), secrets.get(i)));
				}
			}
			return found;
		});
	}

	/**
	 * The IDs of the nodes that have a credential.
	 * @return the IDs, sorted
	 */
	public Flux<String> ids() {
		return this.redis.<String, String>opsForHash().keys(this.keys.credentials()).sort();
	}

	/**
	 * Forgets a node's credential and the latest {@code AUTH_TIME} accepted from it.
	 * @param nodeId the node's ID
	 * @return whether it had a credential
	 */
	public Mono<Boolean> revoke(String nodeId) {
		return this.redis.execute(REVOKE, List.of(this.keys.credentials(), this.keys.authTimes()), List.of(nodeId))
			.next()
			.map((removed) -> removed == 1L);
	}

	/**
	 * Records a proof's {@code AUTH_TIME} as the latest accepted from its node, if it is
	 * later than the one before and the node's credential is still the one the proof was
	 * checked against; atomically, so that no time is accepted twice.
	 * @param credential the credential the proof was checked against
	 * @param authTime the proof's {@code AUTH_TIME}, Unix ms
	 * @return what became of the time
	 */
	public Mono<TimeCheck> acceptTime(NodeCredential credential, long authTime) {
		return this.redis
			.execute(ACCEPT_TIME, List.of(this.keys.credentials(), this.keys.authTimes()),
					List.of(credential.id().value(), credential.encodedSecret(), Long.toString(authTime)))
			.next()
			.map((result) -> switch (result.intValue()) {
				case 1 -> TimeCheck.ACCEPTED;
				case 0 -> TimeCheck.NOT_LATER;
				default -> TimeCheck.CREDENTIAL_CHANGED;
			});
	}

	private static NodeCredential credential(String nodeId, String secret) {
		try {
			return new NodeCredential(NodeId.parse(nodeId), NodeCredential.decodeSecret(secret));
		}
		catch (IllegalArgumentException ex) {
			// Written by something else than this repository:
			// never guess, refuse the node
			throw new IllegalStateException("The credential on record for " + nodeId + " does not read", ex);
		}
	}

	/** What became of a proof's {@code AUTH_TIME}. */
	public enum TimeCheck {

		/** Later than the one before: recorded. */
		ACCEPTED,

		/** Not later than the latest accepted from the node: a replay. */
		NOT_LATER,

		/** The node's credential was revoked or replaced since the proof was checked. */
		CREDENTIAL_CHANGED

	}

}
