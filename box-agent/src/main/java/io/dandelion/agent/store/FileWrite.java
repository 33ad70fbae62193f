package io.dandelion.agent.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A file for the {@link WriteQueue} to store: where, what and for how long. The queue
 * reads the content once and then calls {@code release}.
 *
 * @param target the final path, from {@link FileStore#resolve(String, String)}
 * @param length the content's length, or {@link #UNKNOWN_LENGTH} for content streamed as
 * it arrives
 * @param content the content, read to its end
 * @param expectedSha256 the sender's SHA-256 of the content, or {@code null}
 * @param ttl how long the file lives from now; zero keeps it until it is overwritten
 * @param release frees the content once it was read
 */
public record FileWrite(Path target, long length, InputStream content, String expectedSha256, Duration ttl,
		Runnable release) {

	/** The length of content whose end is known only once it came. */
	public static final long UNKNOWN_LENGTH = -1;

	public FileWrite {
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(content, "content must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		Objects.requireNonNull(release, "release must not be null");
	}

	/**
	 * Whether the file is kept until it is overwritten (TTL 0).
	 * @return true when it never expires
	 */
	public boolean keepForever() {
		return this.ttl.isZero();
	}

}
