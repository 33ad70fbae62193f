package io.dandelion.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;

/** {@link RequestBodyDrainFilter} in front of every reactive Dandelion service. */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
public class RequestBodyDrainAutoConfiguration {

	@Bean
	RequestBodyDrainFilter requestBodyDrainFilter() {
		return new RequestBodyDrainFilter();
	}

}
