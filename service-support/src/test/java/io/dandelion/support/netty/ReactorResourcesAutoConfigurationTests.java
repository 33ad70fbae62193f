package io.dandelion.support.netty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.http.client.reactive.ClientHttpConnectorAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorResourcesAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReactiveWebServerFactoryAutoConfiguration.class,
				ClientHttpConnectorAutoConfiguration.class, ReactorResourcesAutoConfiguration.class));

	@Test
	void shouldGiveTheApplicationResourcesOfItsOwnInsteadOfBootsGlobalOnes() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ReactorResourceFactory.class);
			ReactorResourceFactory factory = context.getBean(ReactorResourceFactory.class);
			assertThat(factory.isUseGlobalResources()).isFalse();
			assertThat(factory).hasFieldOrPropertyWithValue("shutdownQuietPeriod", Duration.ZERO);
		});
	}

	@Test
	void shouldBackOffFromAFactoryTheApplicationDefines() {
		ReactorResourceFactory own = new ReactorResourceFactory();
		this.runner.withBean("ownReactorResourceFactory", ReactorResourceFactory.class, () -> own)
			.run((context) -> assertThat(context).getBean(ReactorResourceFactory.class).isSameAs(own));
	}

	@Test
	void shouldKeepServingWhenAnotherApplicationInTheJvmStops() throws Exception {
		try (ConfigurableApplicationContext staying = start()) {
			try (ConfigurableApplicationContext leaving = start()) {
				assertThat(leaving.getBean(ReactorResourceFactory.class).isUseGlobalResources()).isFalse();
			}
			// With Reactor Netty's global loops, closing the other one would have stopped
			// this server's loops too
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(staying) + "/"))
				.timeout(Duration.ofSeconds(5))
				.build();
			assertThat(client.send(request, BodyHandlers.discarding()).statusCode()).isEqualTo(404);
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplication(WebApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApplication {

	}

}
