package io.dandelion.network.inprocess;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dandelion.protocol.CloseCodes;
import io.dandelion.protocol.ErrorReply;
import io.dandelion.protocol.MessageCodec;
import io.dandelion.protocol.auth.ViewerUrlSignature;
import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.protocol.testing.SelfSignedCertificate;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/**
 * A box that behaves on the wire as the original's (docs/original-system.md, sections 2.4
 * and 2.5, and the messages captured from the original's own box): it takes no WebSocket
 * subprotocol, answers PUBLISH with its bind address and a numeric port, stores each file
 * frame under {@code {base}/{publisher-id}/{FILE_PATH}} and answers nothing, and serves
 * the stored files over plain HTTP on the original's data port 7072. It registers with an
 * entrance by the original's EXCHANGE: every value a string, no {@code DATA_PORT}.
 * <p>
 * With {@link Checks} it also refuses what one of ours in strict mode refuses: a PUBLISH
 * without an accepted ticket (the error reply with {@code BAD_TICKET}, then close 4003),
 * and a file URL without a valid signature (403). It keeps every PUBLISH it received.
 */
final class OriginalBoxStandIn implements AutoCloseable {

	/**
	 * What the box checks, as a strict box of ours does.
	 *
	 * @param urlSecret the secret file URLs must be signed with
	 * ({@link ViewerUrlSignature})
	 * @param acceptedTickets the {@code PUBLISH_TICKET}s a PUBLISH is accepted with
	 */
	record Checks(String urlSecret, Set<String> acceptedTickets) {

	}

	/** The original's data port: its boxes never tell another. */
	static final int DATA_PORT = 7072;

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final int MAX_FRAME = 64 * 1024 * 1024;

	private final String id = NodeId.random(Role.BOX).value();

	private final String ip;

	private final Path base;

	private final UnaryOperator<byte[]> storedBytes;

	private final DisposableServer app;

	private final DisposableServer data;

	private final boolean secure;

	private final Checks checks;

	private final List<Map<String, Object>> publishes = new CopyOnWriteArrayList<>();

	private final List<String> fileRequests = new CopyOnWriteArrayList<>();

	/**
	 * Starts the box.
	 * @param ip a loopback address of its own (port 7072 is bound on it)
	 * @param base where it stores files
	 * @param storedBytes what it writes for the content it received: the identity for an
	 * honest box, anything else for one that corrupts or replaces content
	 */
	OriginalBoxStandIn(String ip, Path base, UnaryOperator<byte[]> storedBytes) {
		this(ip, base, storedBytes, null);
	}

	/**
	 * Starts an honest box that checks tickets and signed URLs.
	 * @param ip a loopback address of its own (port 7072 is bound on it)
	 * @param base where it stores files
	 * @param checks what it checks
	 */
	OriginalBoxStandIn(String ip, Path base, Checks checks) {
		this(ip, base, UnaryOperator.identity(), null, checks);
	}

	/**
	 * Starts the box with its WebSocket behind TLS, as the original's nginx proxy put it.
	 * @param ip a loopback address of its own (port 7072 is bound on it)
	 * @param base where it stores files
	 * @param storedBytes what it writes for the content it received
	 * @param certificate the certificate its WebSocket presents, {@code null} for none
	 */
	OriginalBoxStandIn(String ip, Path base, UnaryOperator<byte[]> storedBytes, SelfSignedCertificate certificate) {
		this(ip, base, storedBytes, certificate, null);
	}

	private OriginalBoxStandIn(String ip, Path base, UnaryOperator<byte[]> storedBytes,
			SelfSignedCertificate certificate, Checks checks) {
		this.ip = ip;
		this.base = base;
		this.storedBytes = storedBytes;
		this.secure = certificate != null;
		this.checks = checks;
		try {
			Files.createDirectories(base);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		HttpServer server = HttpServer.create().host(ip).port(0);
		if (certificate != null) {
			SslContext context = serverContext(certificate);
			server = server.secure((spec) -> spec.sslContext(context));
		}
		this.app = server
			// The original had no frame limit; Reactor Netty's default is 64 KiB
			.route((routes) -> routes.ws("/dandelion/" + this.id + "/ws/", (in, out) -> {
				// Per connection, the publisher that sent PUBLISH
				AtomicReference<String> publisher = new AtomicReference<>();
				AtomicBoolean refused = new AtomicBoolean();
				return out
					.sendString(in.aggregateFrames(MAX_FRAME)
						.receiveFrames()
						.concatMap((frame) -> onFrame(publisher, refused, frame))
						.takeUntil((reply) -> refused.get()))
					// As ours: the error reply, then close with 4003
					.then(Mono.defer(() -> refused.get() ? out.sendClose(CloseCodes.NOT_ACCEPTED, "PUBLISH refused")
							: Mono.empty()));
			}, WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME).build()))
			.bindNow();
		this.data = HttpServer.create().host(ip).port(DATA_PORT).route((routes) -> {
			if (checks != null) {
				routes.get("/**", this::serveSigned);
			}
			else {
				routes.directory("/", base);
			}
		}).bindNow();
	}

	/** Serves a stored file only for a URL signed as nginx's secure_link checks it. */
	private Publisher<Void> serveSigned(HttpServerRequest request, HttpServerResponse response) {
		this.fileRequests.add(request.uri());
		URI uri = URI.create(request.uri());
		QueryStringDecoder query = new QueryStringDecoder(uri);
		if (!ViewerUrlSignature.isValid(uri.getPath(), first(query, ViewerUrlSignature.MD5_PARAMETER),
				first(query, ViewerUrlSignature.EXPIRES_PARAMETER), this.checks.urlSecret(), Instant.now())) {
			return response.status(HttpResponseStatus.FORBIDDEN).send();
		}
		Path file = this.base.resolve(uri.getPath().substring(1)).normalize();
		if (!file.startsWith(this.base) || !Files.isRegularFile(file)) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		return response.sendFile(file);
	}

	private static String first(QueryStringDecoder query, String name) {
		List<String> values = query.parameters().get(name);
		return (values != null) ? values.get(0) : null;
	}

	/**
	 * The PUBLISH messages received, in order.
	 * @return each as JSON fields
	 */
	List<Map<String, Object>> publishes() {
		return List.copyOf(this.publishes);
	}

	/**
	 * The file requests its data port received, when it checks signed URLs.
	 * @return each request's URI (path and query), in order
	 */
	List<String> fileRequests() {
		return List.copyOf(this.fileRequests);
	}

	/**
	 * Where it stores a file of a publisher.
	 * @param publisherId the publisher
	 * @param filePath the file's {@code FILE_PATH}
	 * @return the file
	 */
	Path stored(String publisherId, String filePath) {
		return this.base.resolve(publisherId).resolve(filePath.replaceFirst("^/", ""));
	}

	/**
	 * The box's address.
	 * @return its loopback address
	 */
	String ip() {
		return this.ip;
	}

	private static SslContext serverContext(SelfSignedCertificate certificate) {
		try {
			return SslContextBuilder.forServer(certificate.keyManagers()).build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String id() {
		return this.id;
	}

	/**
	 * The EXCHANGE the original's box sends (captured from it on a current Debian: memory
	 * as {@code top}'s decimal MiB, every value a string).
	 * @return the message
	 */
	String exchange() {
		String connectWs = (this.secure ? "https://" : "http://") + this.ip + ":" + this.app.port() + "/dandelion/"
				+ this.id + "/ws/";
		return "{\"ID\": \"" + this.id + "\", \"IP\": \"" + this.ip + "\", \"PORT\": \"" + this.app.port()
				+ "\", \"TYPE\": \"BOX\", \"COMMAND\": \"EXCHANGE\", \"CONNECT_WS\": \"" + connectWs
				+ "\", \"CPU-HZ\": \"0\", \"CPU-NUM\": \"2\", \"CPU-USR\": \"4.5\", \"CPU-SYS\": \"1.5\","
				+ " \"CPU-NIC\": \"0.0\", \"CPU-IDLE\": \"93.9\", \"CPU-IO\": \"0.0\", \"CPU-IRQ\": \"0.0\","
				+ " \"CPU-SIRQ\": \"0.1\", \"LOADAVG-1\": \"0.52\", \"LOADAVG-5\": \"0.61\", \"LOADAVG-15\": \"0.70\","
				+ " \"MEM-TOTAL\": \"24105.3\", \"MEM-AVAIL\": \"3120.8\", \"DISK-TOTAL\": \"251.92\","
				+ " \"DISK-AVAIL\": \"62.04\"}";
	}

	/**
	 * Sends one EXCHANGE to an entrance, as the original's box does every 5 s.
	 * @param entranceUrl the entrance's WebSocket URL
	 * @return the entrance's reply
	 */
	Map<String, Object> register(String entranceUrl) {
		AtomicReference<String> reply = new AtomicReference<>();
		new ReactorNettyWebSocketClient()
			.execute(URI.create(entranceUrl),
					(session) -> session.send(Mono.just(session.textMessage(exchange())))
						.thenMany(session.receive().take(1).map(WebSocketMessage::getPayloadAsText))
						.doOnNext(reply::set)
						.then())
			.block(Duration.ofSeconds(10));
		return read(reply.get());
	}

	private Flux<String> onFrame(AtomicReference<String> publisher, AtomicBoolean refused, WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame text) {
			Map<String, Object> message = read(text.text());
			if ("PUBLISH".equals(message.get("COMMAND"))) {
				this.publishes.add(message);
				if (this.checks != null && !this.checks.acceptedTickets().contains(message.get("PUBLISH_TICKET"))) {
					refused.set(true);
					return Flux.just(new MessageCodec().encode(new ErrorReply(this.id, this.ip, this.app.port(), "BOX",
							"PUBLISH_TICKET is not signed by an entrance key this box trusts", "BAD_TICKET", null)));
				}
				publisher.set((String) message.get("ID"));
				return Flux.just("{\"ID\": \"" + this.id + "\", \"IP\": \"0.0.0.0\", \"PORT\": " + this.app.port()
						+ ", \"TYPE\": \"BOX\", \"MESSAGE\": \"ACCEPTED\", \"COMMAND\": \"PUBLISH\"}");
			}
			return Flux.empty();
		}
		if (frame instanceof BinaryWebSocketFrame binary && publisher.get() != null) {
			store(publisher.get(), ByteBufUtil.getBytes(binary.content()));
		}
		return Flux.empty();
	}

	/** Splits on the first closing tag and writes the file, as the original does. */
	private void store(String publisher, byte[] frame) {
		String text = new String(frame, StandardCharsets.ISO_8859_1);
		int close = text.indexOf("</Dandelion>");
		Map<String, Object> header = read(
				new String(frame, "<Dandelion>".length(), close - "<Dandelion>".length(), StandardCharsets.UTF_8));
		int start = close + "</Dandelion>".length();
		byte[] content = Arrays.copyOfRange(frame, start, frame.length);
		String filePath = ((String) header.get("FILE_PATH")).replaceFirst("^/", "");
		Path target = this.base.resolve(publisher).resolve(filePath);
		try {
			Files.createDirectories(target.getParent());
			Files.write(target, this.storedBytes.apply(content));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> read(String json) {
		try {
			return mapper.readValue(json, new TypeReference<>() {
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException("Not JSON: " + json, ex);
		}
	}

	@Override
	public void close() {
		this.app.disposeNow();
		this.data.disposeNow();
	}

}
