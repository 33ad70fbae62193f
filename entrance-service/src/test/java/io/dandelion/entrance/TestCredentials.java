package io.dandelion.entrance;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.ReportRequest;
import io.dandelion.protocol.SearchRequest;
import io.dandelion.protocol.auth.MessageAuth;
import io.dandelion.protocol.auth.NodeCredential;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.redis.RedisKeys;
import io.dandelion.protocol.testing.TestRedis;
import io.lettuce.core.api.sync.RedisHashCommands;

/**
 * Credentials for an entrance under test, written straight into its
 * {@code {ent}:CREDENTIALS} hash, and requests signed with them. Signing times never
 * repeat, so that requests signed one after the other are all later than the one before,
 * as the entrance insists.
 */
public final class TestCredentials {

	private static final AtomicLong lastSigningTime = new AtomicLong();

	private final RedisKeys keys;

	private final Supplier<RedisHashCommands<String, String>> redis;

	private final Map<String, NodeCredential> issued = new ConcurrentHashMap<>();

	/**
	 * Credentials for the entrance whose keys these are.
	 * @param keys the entrance's Redis keys
	 */
	public TestCredentials(RedisKeys keys) {
		this(keys, TestRedis::commands);
	}

	/**
	 * Credentials for the entrance whose keys these are, on a Redis of its own.
	 * @param keys the entrance's Redis keys
	 * @param redis the entrance's Redis, e.g. a cluster's commands
	 */
	public TestCredentials(RedisKeys keys, Supplier<RedisHashCommands<String, String>> redis) {
		this.keys = keys;
		this.redis = redis;
	}

	/**
	 * The node's credential, issued on first use.
	 * @param nodeId the box's or publisher's ID
	 * @return its credential
	 */
	public NodeCredential of(String nodeId) {
		return this.issued.computeIfAbsent(nodeId, (id) -> {
			NodeCredential credential = NodeCredential.random(NodeId.parse(id));
			this.redis.get().hset(this.keys.credentials(), id, credential.encodedSecret());
			return credential;
		});
	}

	/**
	 * The heartbeat signed with its box's credential, issued on first use.
	 * @param request the heartbeat
	 * @return the signed heartbeat
	 */
	public ExchangeRequest sign(ExchangeRequest request) {
		return MessageAuth.sign(request, of(request.id()), nextSigningTime());
	}

	/**
	 * The search signed with its publisher's credential, issued on first use.
	 * @param request the search
	 * @return the signed search
	 */
	public SearchRequest sign(SearchRequest request) {
		return MessageAuth.sign(request, of(request.id()), nextSigningTime());
	}

	/**
	 * The report signed with its publisher's credential, issued on first use.
	 * @param request the report
	 * @return the signed report
	 */
	public ReportRequest sign(ReportRequest request) {
		return MessageAuth.sign(request, of(request.id()), nextSigningTime());
	}

	/**
	 * Now, or a millisecond after the last signing time handed out, whichever is later.
	 * @return the time
	 */
	public static Instant nextSigningTime() {
		long now = System.currentTimeMillis();
		return Instant.ofEpochMilli(lastSigningTime.updateAndGet((last) -> Math.max(now, last + 1)));
	}

}
