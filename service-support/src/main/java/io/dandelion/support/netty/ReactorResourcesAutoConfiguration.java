package io.dandelion.support.netty;

import java.time.Duration;

import reactor.netty.http.HttpResources;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.http.client.reactive.ClientHttpConnectorAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Event loops and a connection pool of each application's own, for its Netty server and
 * its clients. Reactor Netty's global ones, the default, are shut down when any
 * application context in the JVM closes, which silently stalls the servers of the others
 * (spring-boot#38199): the tests run several services in one JVM. Ordered before the
 * auto-configurations that import Boot's own {@code reactorResourceFactory}, which then
 * backs off.
 */
@AutoConfiguration(
		before = { ReactiveWebServerFactoryAutoConfiguration.class, ClientHttpConnectorAutoConfiguration.class })
@ConditionalOnClass({ ReactorResourceFactory.class, HttpResources.class })
public class ReactorResourcesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		// The web server has drained by the time the loops stop
		factory.setShutdownQuietPeriod(Duration.ZERO);
		return factory;
	}

}
