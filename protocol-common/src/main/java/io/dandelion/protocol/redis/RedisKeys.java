package io.dandelion.protocol.redis;

import java.util.Objects;

/**
 * The Redis key names of one node, in the original's documented layout
 * ({@code box-3f2a…:EXPIRE_FILES}) or with the node's ID as a Redis Cluster hash tag
 * ({@code {box-3f2a…}:EXPIRE_FILES}), as {@link RedisKeyLayout} chooses. The names below
 * are written {@code {ID}:…} for either. No other class builds key names.
 */
public final class RedisKeys {

	private final String prefix;

	/**
	 * The keys of the node with the given ID.
	 * @param nodeId the node's ID, e.g. {@code entrance-9a8b…}
	 * @param layout how the ID starts each key
	 */
	public RedisKeys(String nodeId, RedisKeyLayout layout) {
		Objects.requireNonNull(nodeId, "nodeId");
		Objects.requireNonNull(layout, "layout");
		if (nodeId.isEmpty() || nodeId.contains("{") || nodeId.contains("}") || nodeId.contains(":")) {
			throw new IllegalArgumentException("A node ID for Redis keys must be non-empty, without braces or colons");
		}
		this.prefix = layout.prefix(nodeId);
	}

	/**
	 * The common start of every key of this node, for tools that list them with
	 * {@code SCAN MATCH}.
	 * @return e.g. {@code box-3f2a…:}
	 */
	public String prefix() {
		return this.prefix;
	}

	// Shared by box and entrance

	/**
	 * Hash: the last message a peer sent this node. On an entrance, a box's last EXCHANGE
	 * (replaced, never merged); on a box, a publisher's PUBLISH.
	 * @param peerId the peer's ID
	 * @return {@code {ID}:EXCHANGE:{peer}}
	 */
	public String exchange(String peerId) {
		return this.prefix + "EXCHANGE:" + peerId;
	}

	// Box

	/**
	 * Hash: the box's own EXCHANGE fields, as last sent.
	 * @return {@code {ID}:SELF_EXCHANGE}
	 */
	public String selfExchange() {
		return this.prefix + "SELF_EXCHANGE";
	}

	/**
	 * Hash {@code url, status, size, datetime}: one traffic entry waiting to be reported.
	 * @param logId the entry's ID, e.g. {@code log-6e0f…}
	 * @return {@code {ID}:TRAFFIC_FLOW:{log-id}}
	 */
	public String trafficFlow(String logId) {
		return this.prefix + "TRAFFIC_FLOW:" + logId;
	}

	/**
	 * Sorted set: the log IDs of traffic entries not yet accepted by an entrance, oldest
	 * first (scored by the Unix millisecond they were read times 1000 plus their rank);
	 * the index of the {@link #trafficFlow(String)} hashes, so that no one scans for
	 * them.
	 * @return {@code {ID}:TRAFFIC_PENDING}
	 */
	public String trafficPending() {
		return this.prefix + "TRAFFIC_PENDING";
	}

	/**
	 * Hash {@code file-key, offset}: how far the box has read its file server's access
	 * log, so that a restart neither skips nor re-counts lines.
	 * @return {@code {ID}:TRAFFIC_LOG_POSITION}
	 */
	public String trafficLogPosition() {
		return this.prefix + "TRAFFIC_LOG_POSITION";
	}

	/**
	 * Sorted set: stored files (absolute paths) scored by the Unix second they expire at.
	 * @return {@code {ID}:EXPIRE_FILES}
	 */
	public String expireFiles() {
		return this.prefix + "EXPIRE_FILES";
	}

	// Entrance

	/**
	 * Hash {@code ID, TYPE, IP, PORT}: how the entrance describes itself in replies.
	 * @return {@code {ID}:OWN_INFO}
	 */
	public String ownInfo() {
		return this.prefix + "OWN_INFO";
	}

	/**
	 * Set: the WebSocket URLs of the other entrances (never this one's own).
	 * @return {@code {ID}:ENTRANCE_URLS}
	 */
	public String entranceUrls() {
		return this.prefix + "ENTRANCE_URLS";
	}

	/**
	 * Sorted set: live box IDs scored by the Unix time they expire at (last EXCHANGE plus
	 * the expiry time).
	 * @return {@code {ID}:BOX_SET}
	 */
	public String boxSet() {
		return this.prefix + "BOX_SET";
	}

	/**
	 * Sorted set: traffic log IDs a box reported recently, scored by when they arrived,
	 * so that an entry sent twice is counted once.
	 * @param boxId the box
	 * @return {@code {ID}:TRAFFIC_SEEN:{box}}
	 */
	public String trafficSeen(String boxId) {
		return this.prefix + "TRAFFIC_SEEN:" + boxId;
	}

	/**
	 * Hash {@code bytes, requests, 2xx, 3xx, …}: what a box has served in total.
	 * @param boxId the box
	 * @return {@code {ID}:TRAFFIC_TOTALS:{box}}
	 */
	public String trafficTotals(String boxId) {
		return this.prefix + "TRAFFIC_TOTALS:" + boxId;
	}

	/**
	 * Stream, capped: the latest traffic entries of a box.
	 * @param boxId the box
	 * @return {@code {ID}:TRAFFIC_HISTORY:{box}}
	 */
	public String trafficHistory(String boxId) {
		return this.prefix + "TRAFFIC_HISTORY:" + boxId;
	}

	/**
	 * Hash: other entrance URL to the Unix millisecond it last answered its greeting
	 * page.
	 * @return {@code {ID}:ENTRANCE_HEALTH}
	 */
	public String entranceHealth() {
		return this.prefix + "ENTRANCE_HEALTH";
	}

	/**
	 * Hash: box or publisher ID to the secret of the credential this entrance issued it,
	 * as unpadded Base64url.
	 * @return {@code {ID}:CREDENTIALS}
	 */
	public String credentials() {
		return this.prefix + "CREDENTIALS";
	}

	/**
	 * Hash: box or publisher ID to the latest {@code AUTH_TIME} (Unix ms) this entrance
	 * accepted from it; a request is accepted only with a later one, so none is accepted
	 * twice.
	 * @return {@code {ID}:AUTH_TIMES}
	 */
	public String authTimes() {
		return this.prefix + "AUTH_TIMES";
	}

	/**
	 * Hash {@code count, last-report-at, last-file-path, last-publisher}: the REPORTs
	 * this entrance accepted against a box (every one counted); expires a while after the
	 * last.
	 * @param boxId the box reported
	 * @return {@code {ID}:REPORTS:{box}}
	 */
	public String reports(String boxId) {
		return this.prefix + "REPORTS:" + boxId;
	}

	/**
	 * Sorted set: publisher ID to the Unix millisecond of its latest REPORT against a
	 * box, so that a publisher counts once however often it reports; expires with
	 * {@link #reports(String)}.
	 * @param boxId the box reported
	 * @return {@code {ID}:REPORTERS:{box}}
	 */
	public String reporters(String boxId) {
		return this.prefix + "REPORTERS:" + boxId;
	}

	/**
	 * String: how many heartbeats a box sent in the current rate window; expires with the
	 * window.
	 * @param boxId the box
	 * @return {@code {ID}:EXCHANGE_COUNT:{box}}
	 */
	public String exchangeCount(String boxId) {
		return this.prefix + "EXCHANGE_COUNT:" + boxId;
	}

	/**
	 * Sorted set: the boxes registered from one network, scored by their expiry (Unix
	 * seconds), for the per-network registration cap; expires when its last box would.
	 * @param network an IPv4 /24 or IPv6 /48, e.g. {@code 203.0.113.0/24}
	 * @return {@code {ID}:NETWORK_BOXES:{network}}
	 */
	public String networkBoxes(String network) {
		return this.prefix + "NETWORK_BOXES:" + network;
	}

	/**
	 * Hash {@code state, failures, successes, checked-at, ttfb-ms, mbps, problem, …}:
	 * what the entrance's dial-back probes of a box's data port found, with the
	 * consecutive failures and successes that suspend and reinstate it; expires a while
	 * after the last probe.
	 * @param boxId the box probed
	 * @return {@code {ID}:PROBE:{box}}
	 */
	public String probe(String boxId) {
		return this.prefix + "PROBE:" + boxId;
	}

	/**
	 * String: the entrance process that probes a box in the current period, so that
	 * entrance processes sharing one ID and Redis do not probe it twice; expires with the
	 * period.
	 * @param boxId the box probed
	 * @return {@code {ID}:PROBE_LEASE:{box}}
	 */
	public String probeLease(String boxId) {
		return this.prefix + "PROBE_LEASE:" + boxId;
	}

	/**
	 * Sorted set: the boxes suspended for failing probes, scored by when they were
	 * suspended (Unix ms), for dropping those suspended too long.
	 * @return {@code {ID}:SUSPENDED_BOXES}
	 */
	public String suspendedBoxes() {
		return this.prefix + "SUSPENDED_BOXES";
	}

	/**
	 * Stream, capped: one sample of the network every dashboard period (live boxes, the
	 * running count of accepted heartbeats, bytes served by the busiest boxes), its entry
	 * ID the period's start, so that replicas sharing this ID add one sample per period.
	 * @return {@code {ID}:DASHBOARD_SAMPLES}
	 */
	public String dashboardSamples() {
		return this.prefix + "DASHBOARD_SAMPLES";
	}

	/**
	 * String (counter): EXCHANGE heartbeats accepted by every replica of this entrance,
	 * each adding what it counted since its last sample.
	 * @return {@code {ID}:EXCHANGES_ACCEPTED}
	 */
	public String exchangesAccepted() {
		return this.prefix + "EXCHANGES_ACCEPTED";
	}

	// Publisher

	/**
	 * Hash: a box's exchange data as an entrance's SEARCH reply gave it.
	 * @param boxId the box
	 * @return {@code {ID}:SEARCH:{box}}
	 */
	public String search(String boxId) {
		return this.prefix + "SEARCH:" + boxId;
	}

	/**
	 * Sorted set: box IDs scored by how much the publisher wants to use them.
	 * @return {@code {ID}:BOX_RANKING}
	 */
	public String boxRanking() {
		return this.prefix + "BOX_RANKING";
	}

	/**
	 * List of JSON tasks {@code {"FILE_PATH": …, "TTL": …}} waiting to be published.
	 * @return {@code {ID}:FILE:FILES_SENDING_QUEUE}
	 */
	public String filesSendingQueue() {
		return this.prefix + "FILE:FILES_SENDING_QUEUE";
	}

	/**
	 * Hash: where a published file lives ({@code ID} of a box, {@code MSG}, the task's
	 * fields).
	 * @param filePath the file's {@code FILE_PATH}
	 * @return {@code {ID}:FILE:PROCESSED_FILES:{FILE_PATH}}
	 */
	public String processedFiles(String filePath) {
		return this.prefix + "FILE:PROCESSED_FILES:" + filePath;
	}

	/**
	 * List of JSON tasks taken from {@link #filesSendingQueue()} and being published;
	 * moved there atomically ({@code BLMOVE}) so that a crash loses nothing, and back to
	 * the queue at start-up.
	 * @return {@code {ID}:FILE:PROCESSING}
	 */
	public String filesProcessing() {
		return this.prefix + "FILE:PROCESSING";
	}

	/**
	 * Hash: what the publisher knows of one file ({@code STATE}, {@code REASON},
	 * {@code SIZE}, {@code SHA256}, {@code TTL}, {@code EXPIRES_AT}, ...).
	 * @param filePath the file's {@code FILE_PATH}
	 * @return {@code {ID}:FILE:STATE:{FILE_PATH}}
	 */
	public String fileState(String filePath) {
		return this.prefix + "FILE:STATE:" + filePath;
	}

	/**
	 * Hash: box ID to the Unix millisecond that box acknowledged the file with the right
	 * SHA-256; expires with the file.
	 * @param filePath the file's {@code FILE_PATH}
	 * @return {@code {ID}:FILE:REPLICAS:{FILE_PATH}}
	 */
	public String fileReplicas(String filePath) {
		return this.prefix + "FILE:REPLICAS:" + filePath;
	}

	/**
	 * Sorted set: the {@code FILE_PATH}s a box holds for this publisher, scored by the
	 * Unix millisecond they expire at (TTL 0: {@code +inf}); read to re-publish a lost
	 * box's live files.
	 * @param boxId the box
	 * @return {@code {ID}:BOX_FILES:{box}}
	 */
	public String boxFiles(String boxId) {
		return this.prefix + "BOX_FILES:" + boxId;
	}

}
