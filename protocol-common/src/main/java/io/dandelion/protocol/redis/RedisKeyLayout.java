package io.dandelion.protocol.redis;

/**
 * How a node's ID starts its Redis keys ({@code REDIS_KEY_LAYOUT}).
 */
public enum RedisKeyLayout {

	/**
	 * The original's documented layout, {@code box-3f2a…:EXPIRE_FILES}: what its own
	 * tools (the caster's {@code FileManager.push} and {@code ask}, the channel module,
	 * the PHP pages) read and write. The default, on one Redis.
	 */
	ORIGINAL {
		@Override
		String prefix(String nodeId) {
			return nodeId + ":";
		}
	},

	/**
	 * The node's ID as a Redis Cluster hash tag, {@code {box-3f2a…}:EXPIRE_FILES}, so
	 * that every key of one node lands in one slot and multi-key scripts work on a
	 * cluster. The original's tools do not find these keys.
	 */
	CLUSTER {
		@Override
		String prefix(String nodeId) {
			return "{" + nodeId + "}:";
		}
	};

	/**
	 * The start of every key of a node.
	 * @param nodeId the node's ID
	 * @return e.g. {@code box-3f2a…:}
	 */
	abstract String prefix(String nodeId);

}
