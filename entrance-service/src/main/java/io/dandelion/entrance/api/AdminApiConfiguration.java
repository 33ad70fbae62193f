package io.dandelion.entrance.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.dandelion.entrance.config.EntranceConfigKeys;
import io.dandelion.entrance.config.EntranceProperties;
import io.dandelion.support.security.BearerTokenFilter;
import io.dandelion.support.security.SecurityProperties;

/**
 * Guards the REST API with the admin token ({@code ENTRANCE_ADMIN_TOKEN}): every call
 * that changes state, the list of credentials and the dashboard's data (the network's
 * traffic and every box's figures at once, pushed live). Reading boxes, entrances and the
 * public key stays open, and so do the dashboard's page and static files, which hold no
 * data: the page asks for the token.
 */
@Configuration(proxyBeanMethods = false)
class AdminApiConfiguration {

	// Matched as the handler mappings match (decoded, without matrix variables), so that
	// an encoded path does not slip past the filter to a handler
	private static final PathPattern API = PathPatternParser.defaultInstance.parse("/dandelion/api/v1/**");

	private static final PathPattern CREDENTIALS = PathPatternParser.defaultInstance
		.parse("/dandelion/api/v1/credentials/**");

	private static final PathPattern DASHBOARD = PathPatternParser.defaultInstance
		.parse("/dandelion/api/v1/dashboard/**");

	@Bean
	BearerTokenFilter adminTokenFilter(EntranceProperties properties, SecurityProperties security) {
		return new BearerTokenFilter(EntranceConfigKeys.ENTRANCE_ADMIN_TOKEN.name(), properties.security().adminToken(),
				security.mode(), AdminApiConfiguration::needsAdminToken);
	}

	static boolean needsAdminToken(ServerHttpRequest request) {
		PathContainer path = request.getPath().pathWithinApplication();
		if (!API.matches(path)) {
			return false;
		}
		boolean reads = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
		return !reads || CREDENTIALS.matches(path) || DASHBOARD.matches(path);
	}

}
