package io.dandelion.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a stored file expires: at an instant, or never (a file stored with TTL 0, kept
 * until it is overwritten).
 *
 * @param at the instant, or {@code null} for never
 */
public record FileExpiry(Instant at) {

	/** A file kept until it is overwritten. */
	public static final FileExpiry NEVER = new FileExpiry(null);

	/**
	 * A file that expires at an instant.
	 * @param at the instant
	 * @return the expiry
	 */
	public static FileExpiry at(Instant at) {
		return new FileExpiry(Objects.requireNonNull(at, "at must not be null"));
	}

	/**
	 * The expiry of a file stored now with a TTL.
	 * @param now the time it is stored
	 * @param ttl its TTL; zero keeps it forever
	 * @return the expiry
	 */
	public static FileExpiry after(Instant now, Duration ttl) {
		return ttl.isZero() ? NEVER : at(now.plus(ttl));
	}

	/**
	 * Whether the file is kept until it is overwritten.
	 * @return true for TTL 0
	 */
	public boolean never() {
		return this.at == null;
	}

	/**
	 * Whether the file has expired.
	 * @param now the time
	 * @return true when it expires at or before {@code now}
	 */
	public boolean passed(Instant now) {
		return this.at != null && !this.at.isAfter(now);
	}

}
