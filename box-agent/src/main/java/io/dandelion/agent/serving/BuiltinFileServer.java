package io.dandelion.agent.serving;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dandelion.agent.config.BoxProperties;
import io.dandelion.agent.serving.ServedFiles.Found;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.store.DataPortProbe;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.context.SmartLifecycle;

/**
 * The box's own file server ({@code BOX_FILE_SERVER: builtin}): a second Reactor Netty
 * HTTP server on {@code BOX_SERVER_IP:BOX_DATA_PORT} serving
 * {@code /{publisher-id}{FILE_PATH}} as the nginx configuration does: GET, HEAD and
 * OPTIONS, single byte ranges, CORS for hls.js, no listings, zero-copy {@code sendfile}
 * (Netty's {@code FileRegion}), the same access-log lines, and the same check of signed
 * viewer URLs ({@link ViewerUrlPolicy}, nginx's {@code secure_link}). Over HTTPS with the
 * box's certificate when the box serves TLS ({@link DataPortTls}).
 */
final class BuiltinFileServer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BuiltinFileServer.class);

	private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

	/** The CORS headers hls.js needs, on every response as nginx's {@code always}. */
	static final Map<String, String> CORS = Map.of("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods",
			"GET, HEAD, OPTIONS", "Access-Control-Allow-Headers",
			"Range, If-Modified-Since, Cache-Control, Content-Type", "Access-Control-Expose-Headers",
			"Content-Length, Content-Range, Accept-Ranges", "Access-Control-Max-Age", "86400");

	private final String host;

	private final int port;

	private final ServedFiles files;

	private final AccessLog accessLog;

	private final Scheduler scheduler;

	private final ViewerUrlPolicy viewerUrls;

	private final DataPortTls tls;

	private volatile DisposableServer server;

	BuiltinFileServer(BoxProperties properties, Scheduler servingScheduler, ViewerUrlPolicy viewerUrls,
			DataPortTls tls) {
		this.host = properties.serverIp();
		this.port = properties.serving().dataPort();
		this.files = new ServedFiles(properties.storeRoot());
		this.accessLog = new AccessLog(properties.accessLog());
		this.scheduler = servingScheduler;
		this.viewerUrls = viewerUrls;
		this.tls = tls;
	}

	@Override
	public void start() {
		try {
			Files.createDirectories(this.accessLog.file().getParent());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create the run directory for " + this.accessLog.file(), ex);
		}
		HttpServer server = HttpServer.create().host(this.host).port(this.port);
		if (this.tls.enabled()) {
			server = server.secure((spec) -> spec.sslContext(this.tls.serverSpec()));
		}
		this.server = server.handle(this::serve).bindNow();
		logger.info("Serving stored files on {}:{} (builtin, {}, {} URLs), access log {}", this.host, port(),
				this.tls.scheme(), this.viewerUrls.signed() ? "signed" : "unsigned", this.accessLog.file());
	}

	/**
	 * The port the server listens on, e.g. when {@code BOX_DATA_PORT} is 0.
	 * @return the bound port
	 */
	int port() {
		return this.server.port();
	}

	private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		CORS.forEach(response::header);
		AtomicLong body = new AtomicLong();
		// Every answer leaves from the serving scheduler, none from the event loop during
		// this call: Reactor Netty 1.2 stops reading a keep-alive connection when a
		// request that waited for the previous one to end is answered at once
		// (reactor-netty#4361), which hung a GET after a preflight or a refusal
		Mono<Void> sent = Mono.defer(() -> answer(request, response, body)).subscribeOn(this.scheduler);
		String path = request.uri().split("\\?", 2)[0];
		if (path.equals(FileServerProbe.URL_PATH) || path.equals(DataPortProbe.PATH)) {
			// The box's own health probe, and entrances' probes, are no viewer's traffic
			return sent;
		}
		// Logged only once the response was written: a reset connection logs nothing
		return sent.then(Mono.defer(() -> log(request, response, body.get())));
	}

	/** The response to one request; blocking (it reads file attributes). */
	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, AtomicLong body) {
		HttpMethod method = request.method();
		if (HttpMethod.OPTIONS.equals(method)) {
			return empty(response, HttpResponseStatus.NO_CONTENT);
		}
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			response.header(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
			return empty(response, HttpResponseStatus.METHOD_NOT_ALLOWED);
		}
		String uri = request.uri();
		int query = uri.indexOf('?');
		String path = ServedFiles.decode((query >= 0) ? uri.substring(0, query) : uri);
		String arguments = (query >= 0) ? uri.substring(query + 1) : "";
		if (path == null) {
			return empty(response, HttpResponseStatus.NOT_FOUND);
		}
		if (ServedFiles.isPublisherFile(path)
				&& !this.viewerUrls.allows(path, argument(arguments, ViewerUrlSignature.MD5_PARAMETER),
						argument(arguments, ViewerUrlSignature.EXPIRES_PARAMETER), Instant.now())) {
			return forbidden(request, response);
		}
		Found found = this.files.find(path);
		return (found != null) ? sendFile(request, response, found, body)
				: empty(response, HttpResponseStatus.NOT_FOUND);
	}

	private Mono<Void> sendFile(HttpServerRequest request, HttpServerResponse response, Found found, AtomicLong body) {
		long size = found.attributes().size();
		response.header(HttpHeaderNames.CONTENT_TYPE, MediaTypes.of(found.path().getFileName().toString()))
			.header(HttpHeaderNames.ACCEPT_RANGES, "bytes")
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
			.header(HttpHeaderNames.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME
				.format(found.attributes().lastModifiedTime().toInstant().atZone(ZoneId.of("GMT"))));
		long start = 0;
		long length = size;
		String range = request.requestHeaders().get(HttpHeaderNames.RANGE);
		Matcher matcher = (range != null) ? SINGLE_RANGE.matcher(range.strip()) : null;
		if (matcher != null && matcher.matches() && !(matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
			long[] bounds = bounds(matcher.group(1), matcher.group(2), size);
			if (bounds == null) {
				response.header(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
				return empty(response, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
			}
			start = bounds[0];
			length = bounds[1] - bounds[0] + 1;
			response.status(HttpResponseStatus.PARTIAL_CONTENT)
				.header(HttpHeaderNames.CONTENT_RANGE, "bytes " + bounds[0] + "-" + bounds[1] + "/" + size);
		}
		response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
		if (HttpMethod.HEAD.equals(request.method()) || length == 0) {
			return response.send().then();
		}
		body.set(length);
		return response.sendFile(found.path(), start, length).then();
	}

	/**
	 * The first and last byte of a single range, or {@code null} when it cannot be
	 * satisfied.
	 */
	private static long[] bounds(String first, String last, long size) {
		try {
			if (first.isEmpty()) {
				long suffix = Long.parseLong(last);
				return (suffix == 0 || size == 0) ? null : new long[] { Math.max(0, size - suffix), size - 1 };
			}
			long start = Long.parseLong(first);
			long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
			return (start >= size || end < start) ? null : new long[] { start, end };
		}
		catch (NumberFormatException ex) {
			// Digits beyond a long: no range of this file, which the caller answers 416
			return null;
		}
	}

	/**
	 * The first value of a query argument as sent (not decoded), its name matched
	 * regardless of case: nginx's {@code $arg_name}.
	 */
	static String argument(String arguments, String name) {
		for (String argument : arguments.split("&")) {
			int equals = argument.indexOf('=');
			if (equals == name.length() && argument.regionMatches(true, 0, name, 0, name.length())) {
				return argument.substring(equals + 1);
			}
		}
		return null;
	}

	private static Mono<Void> forbidden(HttpServerRequest request, HttpServerResponse response) {
		byte[] text = "403 Forbidden: this file's URL needs a valid, unexpired signature\n"
			.getBytes(StandardCharsets.US_ASCII);
		response.status(HttpResponseStatus.FORBIDDEN)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(text.length));
		if (HttpMethod.HEAD.equals(request.method())) {
			return response.send().then();
		}
		return response.sendByteArray(Mono.just(text)).then();
	}

	private static Mono<Void> empty(HttpServerResponse response, HttpResponseStatus status) {
		return response.status(status).header(HttpHeaderNames.CONTENT_LENGTH, "0").send().then();
	}

	private Mono<Void> log(HttpServerRequest request, HttpServerResponse response, long body) {
		InetSocketAddress remote = request.remoteAddress();
		String address = (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "-";
		String requestLine = request.method().name() + " " + request.uri() + " " + request.version().text();
		int status = response.status().code();
		long bytesSent = headerBytes(response) + body;
		String line = AccessLog.line(address, ZonedDateTime.now(), requestLine, status, bytesSent);
		return Mono.fromRunnable(() -> {
			try {
				this.accessLog.append(line);
			}
			catch (IOException ex) {
				logger.warn("Cannot write the access log {}: {}", this.accessLog.file(), ex.toString());
			}
		}).subscribeOn(this.scheduler).then();
	}

	/**
	 * The length of the status line and headers as written, so that the logged size
	 * counts headers as nginx's {@code $bytes_sent} does.
	 */
	private static long headerBytes(HttpServerResponse response) {
		HttpResponseStatus status = response.status();
		long bytes = ("HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n").length() + 2;
		for (Map.Entry<String, String> header : response.responseHeaders()) {
			bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
		}
		return bytes;
	}

	@Override
	public void stop() {
		DisposableServer current = this.server;
		if (current != null) {
			current.disposeNow();
		}
		this.server = null;
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/**
	 * Where the files are.
	 * @return the store root
	 */
	Path accessLogFile() {
		return this.accessLog.file();
	}

}
