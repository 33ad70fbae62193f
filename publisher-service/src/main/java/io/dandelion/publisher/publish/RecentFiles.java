package io.dandelion.publisher.publish;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What this publisher knows of its recently stored files, in memory: the boxes holding
 * each, its digest, size and expiry. {@link FileRepository} keeps it in step with Redis
 * wherever it writes a file's keys (a new version, a box's acknowledgement, a replica
 * forgotten, a failure) and from every lookup, and answers lookups from it, so that a
 * viewer's redirect needs no Redis call and viewers are still sent to the boxes while
 * Redis is unavailable. It only holds what it knows whole: an acknowledgement of a file
 * it does not know is not enough to know the file's other replicas, so that file is read
 * from Redis when asked for. Bounded: past {@link #CAPACITY} files, the least recently
 * used are forgotten.
 */
final class RecentFiles {

	/** Enough for every segment of many live streams' playlists and recent uploads. */
	static final int CAPACITY = 10_000;

	private final Map<String, Known> files = new LinkedHashMap<>(256, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
			return size() > CAPACITY;
		}

	};

	/**
	 * How many changes the publisher made; a read of Redis older than one is not kept.
	 */
	private long changes;

	/**
	 * A new version of a file is being sent: no box holds the file yet.
	 * @param name the file's name
	 */
	synchronized void sending(String name) {
		this.changes++;
		this.files.put(name, new Known(Map.of(), null, -1, 0));
	}

	/**
	 * The count of changes so far, to be given to {@link #read} with what Redis answered
	 * after it.
	 * @return the count
	 */
	synchronized long changes() {
		return this.changes;
	}

	/**
	 * A box acknowledged a file: it holds this version now, and the boxes holding another
	 * version no longer count. Ignored for a file not known here.
	 * @param name the file's name
	 * @param boxId the box
	 * @param storedAt Unix ms
	 * @param expiresAt Unix ms, 0 for never
	 * @param keepExpiry whether an expiry known already stands (a repaired copy keeps the
	 * file's)
	 * @param size the content's size
	 * @param sha256 its digest
	 */
	synchronized void stored(String name, String boxId, long storedAt, long expiresAt, boolean keepExpiry, long size,
			String sha256) {
		this.changes++;
		Known known = this.files.get(name);
		if (known == null) {
			return;
		}
		Map<String, Long> replicas = new HashMap<>();
		if (sha256.equals(known.sha256())) {
			replicas.putAll(known.replicas());
		}
		replicas.put(boxId, storedAt);
		long expiry = (keepExpiry && known.expiresAt() > 0) ? known.expiresAt() : expiresAt;
		this.files.put(name, new Known(replicas, sha256, size, expiry));
	}

	/**
	 * What Redis says of a file, replacing what was known, unless the publisher changed
	 * anything since it asked: the answer may then predate the change, and kept it would
	 * hide it.
	 * @param name the file's name
	 * @param state its state hash
	 * @param replicas its replicas
	 * @param changesBefore {@link #changes()} before Redis was asked
	 */
	synchronized void read(String name, Map<String, String> state, Map<String, Long> replicas, long changesBefore) {
		if (this.changes != changesBefore) {
			return;
		}
		String sha256 = state.get(FileRepository.SHA256);
		if (sha256 == null || !"STORED".equals(state.get(FileRepository.STATE))) {
			this.files.remove(name);
			return;
		}
		this.files.put(name, new Known(replicas, sha256, number(state.get(FileRepository.SIZE), -1),
				number(state.get(FileRepository.EXPIRES_AT), 0)));
	}

	/**
	 * A box no longer holds a file.
	 * @param name the file's name
	 * @param boxId the box
	 */
	synchronized void forget(String name, String boxId) {
		this.changes++;
		Known known = this.files.get(name);
		if (known != null) {
			Map<String, Long> replicas = new HashMap<>(known.replicas());
			replicas.remove(boxId);
			this.files.put(name, new Known(replicas, known.sha256(), known.size(), known.expiresAt()));
		}
	}

	/**
	 * Nothing is known of a file any more (it failed): it is read from Redis when asked
	 * for.
	 * @param name the file's name
	 */
	synchronized void forget(String name) {
		this.changes++;
		this.files.remove(name);
	}

	/**
	 * What is known of a file that has not expired.
	 * @param name the file's name
	 * @param now Unix ms
	 * @return it, empty when not known here or expired
	 */
	synchronized Optional<Known> get(String name, long now) {
		Known known = this.files.get(name);
		if (known == null || (known.expiresAt() > 0 && known.expiresAt() <= now)) {
			return Optional.empty();
		}
		return Optional.of(known);
	}

	/**
	 * How many known files that have not expired have fewer live replicas than wanted;
	 * files being sent are not counted.
	 * @param wanted the replicas wanted
	 * @param live whether a box holding a file is live
	 * @param now Unix ms
	 * @return the count
	 */
	synchronized int underReplicated(int wanted, Predicate<String> live, long now) {
		int count = 0;
		for (Known known : this.files.values()) {
			if (known.isSending() || (known.expiresAt() > 0 && known.expiresAt() <= now)) {
				continue;
			}
			long replicas = known.replicas().keySet().stream().filter(live).limit(wanted).count();
			if (replicas < wanted) {
				count++;
			}
		}
		return count;
	}

	private static long number(String value, long otherwise) {
		try {
			return (value != null) ? (long) Double.parseDouble(value) : otherwise;
		}
		catch (NumberFormatException ex) {
			// A field written by hand or by an older version: the default is as good
			return otherwise;
		}
	}

	/**
	 * A file as known.
	 *
	 * @param replicas box ID to the Unix ms it was stored at; empty while a new version
	 * is being sent, or when every box holding it was lost
	 * @param sha256 the content's digest, {@code null} while a new version is being sent
	 * @param size its size, -1 when not known
	 * @param expiresAt Unix ms it expires at, 0 for never
	 */
	record Known(Map<String, Long> replicas, String sha256, long size, long expiresAt) {

		Known {
			replicas = Map.copyOf(replicas);
		}

		boolean isSending() {
			return this.sha256 == null;
		}

	}

}
