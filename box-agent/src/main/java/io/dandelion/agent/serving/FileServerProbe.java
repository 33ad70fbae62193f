package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.protocol.store.DataPortProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.InitializingBean;

/**
 * The box's check that its file server serves the store: a small file the box writes into
 * the store at start, {@value #URL_PATH} holding a random token, fetched through the data
 * port as a viewer fetches a stored file. nginx reads it with the same worker processes,
 * through the same directories, as the stored files, so it fails when they cannot read
 * the store. The health indicator and the nginx start-up check use it; neither server
 * writes the probe's requests to the access log. Next to it the box writes the object
 * entrances probe it with ({@link DataPortProbe}), served and left out of the log alike.
 */
final class FileServerProbe implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(FileServerProbe.class);

	/** The probe's URL path, and its path below the store root. */
	static final String URL_PATH = "/.dandelion/probe";

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final Path file;

	private final Path entranceProbeFile;

	private final String host;

	private final DataPort dataPort;

	/** For the file system checks of {@link #check()}. */
	private final Scheduler scheduler;

	private final String token = "dandelion-probe " + UUID.randomUUID();

	private final String scheme;

	private final HttpClient http;

	FileServerProbe(BoxProperties properties, DataPort dataPort, DataPortTls tls, Scheduler storeScheduler) {
		this.file = file(properties.storeRoot());
		this.entranceProbeFile = entranceProbeFile(properties.storeRoot());
		this.host = localAddress(properties.serverIp());
		this.dataPort = dataPort;
		this.scheduler = storeScheduler;
		this.scheme = tls.scheme();
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(TIMEOUT);
		if (tls.enabled()) {
			// Over TLS as viewers fetch, trusting the box's own certificate alone
			http.sslContext(tls.probeContext()).sslParameters(DataPortTls.probeParameters());
		}
		this.http = http.build();
	}

	/**
	 * The probe file of a store.
	 * @param storeRoot the store root
	 * @return {@code <store>/.dandelion/probe}
	 */
	static Path file(Path storeRoot) {
		return storeRoot.resolve(URL_PATH.substring(1));
	}

	/**
	 * The object entrances fetch to probe the box ({@link DataPortProbe}), next to the
	 * probe file.
	 * @param storeRoot the store root
	 * @return {@code <store>/.dandelion/probe-64k}
	 */
	static Path entranceProbeFile(Path storeRoot) {
		return storeRoot.resolve(DataPortProbe.PATH.substring(1));
	}

	/**
	 * Writes the probe file, replacing the one of an earlier start, and the object
	 * entrances probe the box with. Like the stored files, they and their directory get
	 * the process's default permissions.
	 */
	@Override
	public void afterPropertiesSet() throws IOException {
		Files.createDirectories(this.file.getParent());
		Path temp = this.file.resolveSibling("probe.new");
		Files.writeString(temp, this.token);
		Files.move(temp, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		Path entranceTemp = this.entranceProbeFile.resolveSibling("probe-64k.new");
		Files.write(entranceTemp, DataPortProbe.content());
		Files.move(entranceTemp, this.entranceProbeFile, StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Writes the probe file again if it went away (a store wiped by hand), so that the
	 * box does not look broken for ever; blocking.
	 */
	private void rewriteIfMissing() {
		try {
			if (!Files.exists(this.file) || !Files.exists(this.entranceProbeFile)) {
				afterPropertiesSet();
			}
		}
		catch (IOException ex) {
			// The fetch that follows tells what is wrong
			logger.debug("Cannot write the probe file {}: {}", this.file, ex.toString());
		}
	}

	/**
	 * Where the probe file is.
	 * @return its path
	 */
	Path file() {
		return this.file;
	}

	/**
	 * Where the file server answers for the probe.
	 * @return {@code http(s)://host:data-port/.dandelion/probe}
	 */
	URI uri() {
		return URI.create(this.scheme + "://" + this.host + ":" + this.dataPort.port() + URL_PATH);
	}

	/**
	 * Fetches the probe without blocking.
	 * @return what the file server answered
	 */
	Mono<Result> check() {
		URI uri = uri();
		return Mono.fromRunnable(this::rewriteIfMissing)
			.subscribeOn(this.scheduler)
			.then(Mono.fromFuture(() -> this.http.sendAsync(request(uri), HttpResponse.BodyHandlers.ofString())))
			.map((response) -> result(uri, response))
			// No answer is a result too, saying what went wrong, for the
			// caller to report
			.onErrorResume((ex) -> Mono.just(failure(uri, ex)));
	}

	/**
	 * Fetches the probe, blocking, until the file server answers or the time is up: for
	 * start-up, while the server may still be binding its port.
	 * @param wait how long connection failures are retried
	 * @return the first answer, or the last failure
	 */
	Result await(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (true) {
			URI uri = uri();
			Result result;
			try {
				result = result(uri, this.http.send(request(uri), HttpResponse.BodyHandlers.ofString()));
			}
			catch (IOException ex) {
				result = failure(uri, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return failure(uri, ex);
			}
			if (result.answered() || System.nanoTime() > deadline) {
				return result;
			}
			try {
				TimeUnit.MILLISECONDS.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return result;
			}
		}
	}

	private static HttpRequest request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
	}

	private Result result(URI uri, HttpResponse<String> response) {
		boolean served = response.statusCode() == 200 && this.token.equals(response.body());
		String problem = null;
		if (response.statusCode() != 200) {
			problem = "answered " + response.statusCode();
		}
		else if (!served) {
			problem = "answered 200 with other bytes than the probe file " + this.file + " holds";
		}
		return new Result(uri, response.statusCode(), served, problem);
	}

	private static Result failure(URI uri, Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		String problem = (cause instanceof ConnectException) ? "no answer: connection refused"
				: (cause instanceof HttpTimeoutException) ? "no answer within " + TIMEOUT.toSeconds() + " s"
						: "no answer: " + cause;
		return new Result(uri, 0, false, problem);
	}

	/** An address of this host the file server listens on. */
	private static String localAddress(String serverIp) {
		return switch (serverIp) {
			case "0.0.0.0" -> "127.0.0.1";
			case "::" -> "[::1]";
			default -> serverIp.contains(":") ? "[" + serverIp + "]" : serverIp;
		};
	}

	/**
	 * What the file server answered for the probe.
	 *
	 * @param uri what was fetched
	 * @param status the HTTP status, 0 when there was no answer
	 * @param served whether it sent the probe file's bytes
	 * @param problem what went wrong, {@code null} when served
	 */
	record Result(URI uri, int status, boolean served, String problem) {

		/**
		 * Whether an HTTP answer came, whatever it was.
		 * @return false when the connection failed or timed out
		 */
		boolean answered() {
			return this.status != 0;
		}

	}

}
