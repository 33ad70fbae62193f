package io.dandelion.publisher.pool;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import io.dandelion.protocol.StoredAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Counts a copy on a box that sends no STORED reply (the original's boxes never do) only
 * once its bytes, fetched back from the box's data port, have the SHA-256 the publisher
 * sent. The box writes a frame after receiving it, so the first fetches may find nothing
 * yet; they are retried until the deadline. The check of a viewer's report fetches a copy
 * the same way, once.
 */
@Component
public class CopyVerifier {

	private static final Logger logger = LoggerFactory.getLogger(CopyVerifier.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(50);

	private static final Duration LAST_RETRY = Duration.ofMillis(500);

	private final WebClient client;

	private final ViewerUrls urls;

	private final Clock clock;

	CopyVerifier(WebClient.Builder client, ViewerUrls urls, Clock clock) {
		this.client = client.build();
		this.urls = urls;
		this.clock = clock;
	}

	/**
	 * Fetches a file back from a box until it has the expected bytes.
	 * @param box the box
	 * @param filePath the file's {@code FILE_PATH}
	 * @param sha256 the expected SHA-256, lowercase hex
	 * @param within how long the box may take to store it
	 * @return a STORED reply standing for the one the box did not send;
	 * {@link BoxFailureException} when the right bytes did not appear in time
	 */
	Mono<StoredAck> verify(BoxCandidate box, String filePath, String sha256, Duration within) {
		// Signed like a viewer's: a box that checks signatures answers 403 to anything
		// else
		String url = this.urls.of(box, filePath, this.clock.instant());
		return fetch(url).flatMap((copy) -> {
			if (copy.sha256().equals(sha256)) {
				return Mono.just(StoredAck.stored(box.id(), filePath, copy.size(), copy.sha256()));
			}
			return Mono.error(new MismatchException("SHA-256 " + copy.sha256()));
		})
			.retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(LAST_RETRY).jitter(0))
			.timeout(within)
			.onErrorMap((ex) -> !(ex instanceof BoxFailureException),
					(ex) -> new BoxFailureException(box.id(),
							"no copy of " + filePath + " with SHA-256 " + sha256 + " at " + withoutQuery(url)
									+ " within " + within))
			.doOnNext((ack) -> logger.debug("Box {} holds {}: verified at {}", box.id(), filePath, withoutQuery(url)));
	}

	/**
	 * Fetches a box's copy of a file once, as a viewer would (signed when the box checks
	 * signatures), and hashes it. Only the publisher's own URL of the file is fetched.
	 * @param box the box
	 * @param filePath the file's {@code FILE_PATH}
	 * @param maxBytes the most bytes read: a longer copy is cut short and reported as
	 * {@link Copy#overLimit() over the limit}
	 * @param timeout how long the box may take
	 * @return what the box served; an error when it answered no 200 with a whole body in
	 * time
	 */
	public Mono<Copy> fetch(BoxCandidate box, String filePath, long maxBytes, Duration timeout) {
		String url = this.urls.of(box, filePath, this.clock.instant());
		return fetch(url, maxBytes).timeout(timeout)
			.onErrorMap((ex) -> new IllegalStateException("no copy of " + filePath + " at " + withoutQuery(url) + ": "
					+ ((ex instanceof MismatchException) ? ex.getMessage() : ex.toString()), ex));
	}

	private Mono<Copy> fetch(String url) {
		return fetch(url, Long.MAX_VALUE);
	}

	private Mono<Copy> fetch(String url, long maxBytes) {
		return Mono.defer(() -> {
			MessageDigest digest = sha256();
			AtomicLong size = new AtomicLong();
			// A URI, not a template: the URL is already percent-encoded (and signed for
			// that form)
			return this.client.get().uri(URI.create(url)).retrieve().bodyToFlux(DataBuffer.class).doOnNext((buffer) -> {
				try {
					size.addAndGet(buffer.readableByteCount());
					buffer.readableByteBuffers().forEachRemaining(digest::update);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
				// Past the limit the copy is known to be too long: stop reading
				.takeUntil((buffer) -> size.get() > maxBytes)
				.then(Mono.fromSupplier(
						() -> new Copy(HexFormat.of().formatHex(digest.digest()), size.get(), size.get() > maxBytes)))
				.onErrorMap(WebClientResponseException.class,
						(ex) -> new MismatchException("HTTP " + ex.getStatusCode().value()));
		});
	}

	/** A URL as it may be logged: without its signature, which lets anyone fetch it. */
	private static String withoutQuery(String url) {
		int query = url.indexOf('?');
		return (query < 0) ? url : url.substring(0, query);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

	/**
	 * A copy as a box served it.
	 *
	 * @param sha256 the SHA-256 of the bytes read, lowercase hex
	 * @param size how many bytes were read
	 * @param overLimit whether the box sent more than the limit (then only the first
	 * bytes were read and hashed)
	 */
	public record Copy(String sha256, long size, boolean overLimit) {

	}

	/** The box has no copy with the right bytes yet. */
	private static final class MismatchException extends RuntimeException {

		MismatchException(String message) {
			super(message, null, false, false);
		}

	}

}
