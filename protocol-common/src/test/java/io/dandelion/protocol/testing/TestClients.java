package io.dandelion.protocol.testing;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * HTTP clients for the servers tests start on loopback ports: Reactor Netty's global
 * loops (which no application context owns), the address rather than {@code localhost},
 * and a new connection for every request.
 * <p>
 * Why not Spring Boot's autowired {@code WebTestClient} and pooled connections: in the
 * publisher's suite, once the in-JVM network tests had started and stopped their
 * entrances, boxes and publishers, a request sent on a kept-alive connection now and then
 * got no answer at all ({@code LiveControllerTests}; {@code EntranceControllerTests} had
 * once raised its timeout for what was probably the same). A thread dump taken during the
 * wait showed every event loop idle in {@code epoll_wait}: the server was never told the
 * request had arrived. With Netty's NIO transport instead of its native (edge-triggered)
 * epoll ({@code -Dreactor.netty.native=false}) the same suite passed 4 times of 4, where
 * about every other run failed before: most likely a wake-up lost between the native
 * epoll transport and this sandbox's kernel (gVisor), rather than our code. With a new
 * connection for every request it has not happened since (two targeted runs, every full
 * build and the fresh-clone CI run).
 */
public final class TestClients {

	/** Generous: these tests prove behaviour, not speed, on two busy cores. */
	public static final Duration TIMEOUT = Duration.ofSeconds(20);

	private TestClients() {
	}

	/**
	 * A client for a server on 127.0.0.1.
	 * @param port the server's port
	 * @return the client, any response size accepted
	 */
	public static WebTestClient local(int port) {
		return to("http://127.0.0.1:" + port);
	}

	/**
	 * A client for a base URL.
	 * @param baseUrl e.g. a box's file server, {@code http://127.0.2.10:7072}
	 * @return the client, any response size accepted
	 */
	public static WebTestClient to(String baseUrl) {
		return WebTestClient
			.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
			.baseUrl(baseUrl)
			.responseTimeout(TIMEOUT)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(-1))
			.build();
	}

}
