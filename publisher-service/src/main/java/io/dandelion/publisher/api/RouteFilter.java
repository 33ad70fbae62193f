package io.dandelion.publisher.api;

import java.util.List;
import java.util.Objects;

import reactor.core.publisher.Mono;

import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Answers the requests a router function takes in front of the {@code DispatcherHandler},
 * and passes every other request on. The dispatcher asks each handler mapping in turn
 * (the actuator's and the annotated controllers' before the router functions') and
 * resolves a result handler for every answer: for a request as small as a redirect that
 * cost more than the answer (P2 in {@code docs/benchmarks.md}). The answers are the same:
 * the route's handler writes them with the codecs the application configured, and its
 * errors reach the same exception handlers.
 */
final class RouteFilter implements WebFilter {

	private final String pathPrefix;

	private final RouterFunction<ServerResponse> route;

	private final List<HttpMessageReader<?>> readers;

	private final ServerResponse.Context context;

	/**
	 * A filter for one route.
	 * @param pathPrefix the prefix of every path the route may take: other requests are
	 * passed on without building a request for the route
	 * @param route the route
	 * @param codecs the application's codecs
	 */
	RouteFilter(String pathPrefix, RouterFunction<ServerResponse> route, ServerCodecConfigurer codecs) {
		this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
		this.route = Objects.requireNonNull(route, "route");
		this.readers = codecs.getReaders();
		List<HttpMessageWriter<?>> writers = codecs.getWriters();
		this.context = new ServerResponse.Context() {
			@Override
			public List<HttpMessageWriter<?>> messageWriters() {
				return writers;
			}

			@Override
			public List<ViewResolver> viewResolvers() {
				return List.of();
			}
		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(this.pathPrefix)) {
			return chain.filter(exchange);
		}
		ServerRequest request = ServerRequest.create(exchange, this.readers);
		return this.route.route(request)
			.flatMap((handler) -> handler.handle(request))
			.flatMap((response) -> response.writeTo(exchange, this.context).thenReturn(Boolean.TRUE))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(Boolean.TRUE)))
			.then();
	}

}
