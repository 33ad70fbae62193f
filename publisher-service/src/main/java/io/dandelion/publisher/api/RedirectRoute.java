package io.dandelion.publisher.api;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

/**
 * The redirect route ({@link RedirectHandler}), answered by a web filter before the
 * {@code DispatcherHandler} ({@link RouteFilter}), and left out of the
 * {@code http.server.requests} observation: timing every redirect cost more than the
 * redirect itself (P2 in {@code docs/benchmarks.md}); its counter by outcome says how
 * many there were.
 */
@Configuration(proxyBeanMethods = false)
class RedirectRoute {

	static final String PREFIX = "/r/";

	/** Right after the token filter, which lets the reads this route takes through. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	WebFilter redirectFilter(RedirectHandler handler, ServerCodecConfigurer codecs) {
		return new RouteFilter(PREFIX, redirects(handler), codecs);
	}

	static RouterFunction<ServerResponse> redirects(RedirectHandler handler) {
		// HEAD too, as an annotated GET mapping would take it (curl -I, health checks)
		return RouterFunctions.route(
				RequestPredicates.path(PREFIX + "{*path}")
					.and(RequestPredicates.method(HttpMethod.GET).or(RequestPredicates.method(HttpMethod.HEAD))),
				handler::redirect);
	}

	@Bean
	ObservationPredicate redirectsUntimed() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext server
				&& server.getCarrier().getPath().pathWithinApplication().value().startsWith(PREFIX));
	}

}
