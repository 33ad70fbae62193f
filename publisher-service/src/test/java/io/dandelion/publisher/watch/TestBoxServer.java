package io.dandelion.publisher.watch;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stand-in for a box's file server: serves a {@link TestHlsStream}'s segments at
 * {@code http://{ip}:{port}/{publisher-id}/live/{stream}/{segment}} with the box's CORS
 * header, and logs every segment it sent and its size.
 */
final class TestBoxServer implements AutoCloseable {

	/** A loopback address other than the publisher's, so the box is another host. */
	static final String PREFERRED_HOST = "127.0.2.10";

	private final TestHlsStream stream;

	private final String prefix;

	private final List<Served> served = new CopyOnWriteArrayList<>();

	private final DisposableServer server;

	TestBoxServer(TestHlsStream stream, String publisherId, String streamName) {
		this.stream = stream;
		this.prefix = "/" + publisherId + "/live/" + streamName + "/";
		this.server = bind(PREFERRED_HOST);
	}

	private DisposableServer bind(String host) {
		HttpServer server = HttpServer.create().host(host).port(0).handle(this::handle);
		try {
			return server.bindNow(Duration.ofSeconds(10));
		}
		catch (RuntimeException ex) {
			// macOS routes only 127.0.0.1 unless aliases are added: the port then tells
			// the box from the publisher.
			return server.host("127.0.0.1").bindNow(Duration.ofSeconds(10));
		}
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		response.header("Access-Control-Allow-Origin", "*");
		if (request.method().name().equals("OPTIONS")) {
			return response.header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
				.header("Access-Control-Allow-Headers", "Range")
				.status(HttpResponseStatus.NO_CONTENT)
				.send();
		}
		String path = request.path().startsWith("/") ? request.path() : "/" + request.path();
		String segment = path.startsWith(this.prefix) ? path.substring(this.prefix.length()) : "";
		if (!request.method().name().equals("GET") || !this.stream.segments().contains(segment)) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		byte[] bytes = this.stream.read(segment);
		return response.header("Content-Type", "video/mp2t")
			.sendByteArray(Mono.just(bytes))
			.then()
			.doOnSuccess((done) -> this.served.add(new Served(segment, bytes.length)));
	}

	/** The base URL of the segments, ending with {@code /}. */
	String segmentBaseUrl() {
		InetSocketAddress address = (InetSocketAddress) this.server.address();
		return "http://" + address.getHostString() + ":" + address.getPort() + this.prefix;
	}

	String hostAndPort() {
		InetSocketAddress address = (InetSocketAddress) this.server.address();
		return address.getHostString() + ":" + address.getPort();
	}

	/** Every segment sent so far, in order. */
	List<Served> served() {
		return List.copyOf(this.served);
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/**
	 * One segment a test server sent.
	 *
	 * @param segment its file name
	 * @param bytes the body's size
	 */
	record Served(String segment, long bytes) {

	}

}
