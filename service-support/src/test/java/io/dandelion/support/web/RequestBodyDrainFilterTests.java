package io.dandelion.support.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The filter on a real Reactor Netty server, spoken to over a plain socket so that what
 * the server sends, and when, is seen byte for byte.
 */
class RequestBodyDrainFilterTests {

	private DisposableServer server;

	private Socket socket;

	@BeforeEach
	void startServer() throws IOException {
		var handler = WebHttpHandlerBuilder.webHandler(RequestBodyDrainFilterTests::handle)
			.filter(new RequestBodyDrainFilter(Duration.ofSeconds(1)))
			.build();
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(handler))
			.bindNow();
		this.socket = new Socket("127.0.0.1", this.server.port());
		this.socket.setSoTimeout(5000);
	}

	/** {@code /refuse} answers 401 at once, {@code /read} after reading the body. */
	private static Mono<Void> handle(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().value();
		if (path.equals("/refuse")) {
			exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
			return exchange.getResponse().setComplete();
		}
		return DataBufferUtils.join(exchange.getRequest().getBody())
			.doOnNext(DataBufferUtils::release)
			.then(exchange.getResponse().setComplete());
	}

	@AfterEach
	void stopServer() throws IOException {
		this.socket.close();
		this.server.disposeNow();
	}

	@Test
	void shouldAnswerARefusedBodyOnlyOnceItHasArrivedAndKeepTheConnection() throws IOException {
		OutputStream out = this.socket.getOutputStream();
		out.write(head("PUT /refuse", "Content-Length: 65536"));
		out.write(new byte[32 * 1024]);
		out.flush();
		this.socket.setSoTimeout(500);
		assertThatExceptionOfType(SocketTimeoutException.class).as("an answer before the body arrived")
			.isThrownBy(() -> this.socket.getInputStream().read());
		this.socket.setSoTimeout(5000);
		out.write(new byte[32 * 1024]);
		out.flush();
		Response refused = Response.read(this.socket.getInputStream());
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("connection")).isNull();

		out.write(head("GET /next"));
		out.flush();
		assertThat(Response.read(this.socket.getInputStream()).status()).as("the next request on the connection")
			.isEqualTo(200);
	}

	@Test
	void shouldAnswerARefusedShortBodyThatCameWithTheHeadAndKeepTheConnection() throws IOException {
		OutputStream out = this.socket.getOutputStream();
		for (int request = 0; request < 3; request++) {
			ByteArrayOutputStream whole = new ByteArrayOutputStream();
			whole.write(head("PUT /refuse", "Content-Length: 64"));
			whole.write(new byte[64]);
			out.write(whole.toByteArray());
			out.flush();
			Response refused = Response.read(this.socket.getInputStream());
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.header("connection")).isNull();
		}
	}

	@Test
	void shouldAnswerAndCloseWhenAnAnnouncedBodyDoesNotArrive() throws IOException {
		OutputStream out = this.socket.getOutputStream();
		out.write(head("PUT /refuse", "Content-Length: 1000"));
		out.write(new byte[10]);
		out.flush();
		// Within the test filter's drain timeout of a second, and the socket's 5 s
		Response refused = Response.read(this.socket.getInputStream());
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("connection")).isEqualTo("close");
	}

	@Test
	void shouldCloseTheConnectionAfterRefusingALongBody() throws IOException {
		OutputStream out = this.socket.getOutputStream();
		out.write(head("PUT /refuse", "Content-Length: " + (RequestBodyDrainFilter.MAX_DRAINED_BYTES + 1)));
		out.write(new byte[1024]);
		out.flush();
		Response refused = Response.read(this.socket.getInputStream());
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("connection")).isEqualTo("close");
		assertThat(this.socket.getInputStream().read()).as("the connection closed").isEqualTo(-1);
	}

	@Test
	void shouldCloseTheConnectionAfterRefusingAChunkedBody() throws IOException {
		OutputStream out = this.socket.getOutputStream();
		out.write(head("PUT /refuse", "Transfer-Encoding: chunked"));
		out.write("400\r\n".getBytes(StandardCharsets.US_ASCII));
		out.write(new byte[1024]);
		out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		Response refused = Response.read(this.socket.getInputStream());
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("connection")).isEqualTo("close");
	}

	@Test
	void shouldLeaveAnswersToReadBodiesAlone() throws IOException {
		OutputStream out = this.socket.getOutputStream();
		for (int request = 0; request < 3; request++) {
			out.write(head("PUT /read", "Content-Length: 4096"));
			out.write(new byte[4096]);
			out.flush();
			Response stored = Response.read(this.socket.getInputStream());
			assertThat(stored.status()).isEqualTo(200);
			assertThat(stored.header("connection")).isNull();
		}
	}

	private static byte[] head(String requestLine, String... headers) {
		StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
	}

	/** An answer's status line and headers, its body read and dropped. */
	private record Response(int status, String headers) {

		static Response read(InputStream in) throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
				int next = in.read();
				assertThat(next).as("an answer before the connection closed; so far: %s", head).isNotEqualTo(-1);
				head.write(next);
			}
			Response response = new Response(Integer.parseInt(head.toString(StandardCharsets.US_ASCII).split(" ")[1]),
					head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
			String length = response.header("content-length");
			in.readNBytes((length != null) ? Integer.parseInt(length) : 0);
			return response;
		}

		String header(String name) {
			for (String line : this.headers.split("\r\n")) {
				if (line.startsWith(name + ":")) {
					return line.substring(name.length() + 1).strip();
				}
			}
			return null;
		}

	}

}
