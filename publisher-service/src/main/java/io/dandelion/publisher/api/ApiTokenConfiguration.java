package io.dandelion.publisher.api;

import java.util.Set;

import io.dandelion.publisher.config.PublisherProperties;
import io.dandelion.support.security.BearerTokenFilter;
import io.dandelion.support.security.SecurityMode;
import io.dandelion.support.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Every REST call that changes the publisher's state (any method but GET, HEAD, OPTIONS
 * and TRACE: today {@code POST /api/v1/files} and {@code PUT /api/v1/files/…}) needs
 * {@code Authorization: Bearer} with {@code PUBLISHER_API_TOKEN}. What viewers fetch
 * ({@code /r/}, {@code /live/}, {@code /origin/}, {@code /watch/}), what they report
 * ({@code POST /api/v1/reports}, which the publisher checks itself and never believes)
 * and the API's reads stay open.
 */
@Configuration(proxyBeanMethods = false)
class ApiTokenConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ApiTokenConfiguration.class);

	private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE);

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	BearerTokenFilter apiTokenFilter(PublisherProperties properties, SecurityProperties security) {
		BearerTokenFilter filter = new BearerTokenFilter("PUBLISHER_API_TOKEN", properties.security().apiToken(),
				security.mode(), ApiTokenConfiguration::changesState);
		if (!filter.hasToken()) {
			if (security.mode() == SecurityMode.STRICT) {
				logger.warn("PUBLISHER_API_TOKEN is not set: uploads and queued files (PUT and POST /api/v1/files) "
						+ "are refused with 403 (SECURITY_MODE strict)");
			}
			else {
				logger.warn("PUBLISHER_API_TOKEN is not set: anyone who reaches this publisher may upload and queue "
						+ "files (SECURITY_MODE compatible)");
			}
		}
		return filter;
	}

	/** Where viewer pages send their reports of tampered segments. */
	static final String REPORTS_PATH = "/api/v1/reports";

	/**
	 * Whether a request may change state and needs the token: every method but the reads,
	 * except a viewer's report.
	 * @param request the request
	 * @return {@code true} when it needs the token
	 */
	static boolean changesState(ServerHttpRequest request) {
		if (READS.contains(request.getMethod())) {
			return false;
		}
		return !(HttpMethod.POST.equals(request.getMethod())
				&& REPORTS_PATH.equals(request.getPath().pathWithinApplication().value()));
	}

}
