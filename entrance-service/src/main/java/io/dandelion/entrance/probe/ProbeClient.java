package io.dandelion.entrance.probe;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

import io.dandelion.protocol.ExchangeRequest;
import io.dandelion.protocol.store.DataPortProbe;
import io.dandelion.protocol.text.UntrustedText;
import io.dandelion.support.client.ClientTls;
import io.dandelion.support.geo.IpLiterals;

/**
 * Fetches a box's probe object ({@link DataPortProbe}) from its data port as a viewer
 * would, at {@code {DATA_SCHEME}://{IP}:{DATA_PORT}}, over the node's client TLS, on a
 * new connection each time so that connecting counts and a dead port shows. It measures
 * the time to first byte and the throughput; it never fails, a probe that went wrong is a
 * {@link ProbeResult} saying what went wrong.
 */
final class ProbeClient {

	/** The data port of a box that names none: the original's. */
	static final int DEFAULT_DATA_PORT = 7072;

	private final HttpClient http;

	private final Duration timeout;

	ProbeClient(ClientTls tls, LoopResources loops, Duration timeout) {
		this.timeout = timeout;
		// No pool: each probe connects, as a viewer's first request does. On the
		// entrance's own event loops, not the JVM-wide ones
		this.http = tls.apply(HttpClient.newConnection().runOn(loops))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
			.followRedirect(false);
	}

	/**
	 * Where a box's probe object is.
	 * @param box the box's last heartbeat
	 * @return the URL, or empty when the box names no IP address to probe
	 */
	static Optional<URI> uri(ExchangeRequest box) {
		// An IP literal only: the entrance resolves no name a box hands it
		Optional<InetAddress> address = IpLiterals.parse(box.ip());
		if (address.isEmpty() || address.get().isAnyLocalAddress() || address.get().isMulticastAddress()) {
			return Optional.empty();
		}
		String host = box.ip().contains(":") ? "[" + box.ip() + "]" : box.ip();
		int port = (box.dataPort() != null) ? box.dataPort() : DEFAULT_DATA_PORT;
		String scheme = box.servesDataOverTls() ? ExchangeRequest.TLS_DATA : ExchangeRequest.PLAIN_DATA;
		return Optional.of(URI.create(scheme + "://" + host + ":" + port + DataPortProbe.PATH));
	}

	/**
	 * Probes a box once.
	 * @param box the box's last heartbeat
	 * @return what the probe found; never an error
	 */
	Mono<ProbeResult> probe(ExchangeRequest box) {
		Optional<URI> uri = uri(box);
		if (uri.isEmpty()) {
			return Mono.just(
					ProbeResult.failed("its IP " + UntrustedText.quote(box.ip()) + " is no IP address to fetch from"));
		}
		return Mono.defer(() -> fetch(uri.get()))
			.timeout(this.timeout)
			.onErrorResume((ex) -> Mono.just(ProbeResult.failed(describe(ex))));
	}

	private Mono<ProbeResult> fetch(URI uri) {
		long start = System.nanoTime();
		AtomicLong read = new AtomicLong();
		return this.http.get().uri(uri).response((response, body) -> {
			double ttfbMs = millisSince(start);
			int status = response.status().code();
			// Reading stops past the object's size: a box sending more costs the entrance
			// no more than the object
			Mono<Long> bytes = body.map(ByteBuf::readableBytes)
				.takeUntil((chunk) -> read.addAndGet(chunk) > DataPortProbe.SIZE)
				.then(Mono.fromSupplier(read::get));
			return bytes.map((total) -> result(status, ttfbMs, total, millisSince(start)));
		}).next();
	}

	private static ProbeResult result(int status, double ttfbMs, long bytes, double totalMs) {
		if (status >= 500) {
			return ProbeResult.failed("answered " + status);
		}
		if (status != 200) {
			// A file server without the object, as the original's boxes: reachable
			return ProbeResult.reachable(ttfbMs, "answered " + status + ", no probe object to measure");
		}
		if (bytes != DataPortProbe.SIZE) {
			return ProbeResult.reachable(ttfbMs,
					"answered 200 with " + bytes + " bytes, not the " + DataPortProbe.SIZE + " of the probe object");
		}
		double mbps = bytes * 8 / (Math.max(totalMs, 0.001) / 1000) / 1_000_000;
		return ProbeResult.measured(ttfbMs, mbps);
	}

	private String describe(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "no whole answer within " + this.timeout.toMillis() + " ms";
		}
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	private static double millisSince(long start) {
		return (System.nanoTime() - start) / 1e6;
	}

}
