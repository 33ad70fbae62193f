import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.http.server.HttpServer;

/**
 * The floors of P2, for bench/redirect/run.sh with BENCH_FLOORS=1: a {@code 302} from the
 * publisher's own libraries with nothing of Dandelion behind it, on two ports. The first is
 * Reactor Netty alone (what the publisher's HTTP server is made of), the second a Spring
 * WebFlux functional route on it (no Boot, no filters, no observation). Run on the classpath
 * of the publisher's jar: {@code java -cp 'LIB/*' Floor302.java RAW_PORT WEBFLUX_PORT}.
 */
public class Floor302 {

	private static final String TARGET = "http://127.0.0.2:7072/x";

	public static void main(String[] args) throws Exception {
		HttpServer.create()
			.host("127.0.0.1")
			.port(Integer.parseInt(args[0]))
			.handle((request, response) -> response.status(302).header("Location", TARGET).send())
			.bindNow();
		RouterFunction<ServerResponse> route = RouterFunctions.route(RequestPredicates.GET("/**"),
				(request) -> ServerResponse.status(HttpStatus.FOUND).location(URI.create(TARGET)).build());
		HttpServer.create()
			.host("127.0.0.1")
			.port(Integer.parseInt(args[1]))
			.handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(route)))
			.bindNow();
		System.out.println("ready");
		Thread.currentThread().join();
	}

}
