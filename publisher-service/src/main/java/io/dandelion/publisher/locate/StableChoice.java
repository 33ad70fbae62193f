package io.dandelion.publisher.locate;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rendezvous (highest random weight) hashing of a file's replicas by a key naming both
 * the box and the file: whatever their order, and whichever other replicas come or go, a
 * file keeps the same replica while its box lives, and files spread evenly over the
 * boxes.
 */
final class StableChoice {

	private StableChoice() {
	}

	/**
	 * The replica to use.
	 * @param <T> what a replica is
	 * @param replicas the live replicas
	 * @param key names the box and the file of a replica (not its URL, whose signature
	 * changes over time)
	 * @return the one to use, empty when there is none
	 */
	static <T> Optional<T> of(List<T> replicas, Function<T, String> key) {
		return replicas.stream().max(Comparator.comparingLong((replica) -> rendezvousWeight(key.apply(replica))));
	}

	private static long rendezvousWeight(String key) {
		// FNV-1a over the UTF-16 units, then the SplitMix64 finaliser to spread the bits
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < key.length(); i++) {
			hash = (hash ^ key.charAt(i)) * 0x100000001b3L;
		}
		hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
		hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
		return hash ^ (hash >>> 31);
	}

}
