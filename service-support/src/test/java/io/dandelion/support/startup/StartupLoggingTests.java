package io.dandelion.support.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.dandelion.protocol.identity.NodeId;
import io.dandelion.protocol.identity.Role;
import io.dandelion.support.config.ServiceRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class StartupLoggingTests {

	@TempDir
	Path directory;

	@Test
	void shouldLogTheRoleIdAddressPortAndConfigFile(CapturedOutput output) throws IOException {
		Path file = Files.writeString(this.directory.resolve("config.yaml"), "MIN_HTTP_PEERS: 4\n");
		try (ConfigurableApplicationContext context = new SpringApplication(PublisherApplication.class)
			.run("--config=" + file, "--server.port=0", "--server.address=127.0.0.1")) {
			assertThat(output).contains("Publisher " + context.getBean(NodeId.class) + " listening on 127.0.0.1 port "
					+ port(context) + " (configuration: " + file + ")");
		}
	}

	@Test
	void shouldNameTheBuiltInDefaultsWithoutAConfigFile(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplication(PlainApplication.class)
			.run("--server.port=0", "--server.address=127.0.0.1")) {
			assertThat(output).contains("Box " + context.getBean(NodeId.class) + " listening on 127.0.0.1 port "
					+ port(context) + " (configuration: built-in defaults)");
		}
	}

	@Test
	void shouldLogOnlyForAReactiveWebApplicationWithANodeId() {
		AutoConfigurations configurations = AutoConfigurations.of(ReactiveWebServerFactoryAutoConfiguration.class,
				StartupLoggingAutoConfiguration.class);
		new ReactiveWebApplicationContextRunner().withConfiguration(configurations)
			.run((context) -> assertThat(context).doesNotHaveBean(StartupLogging.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(configurations)
			.withBean(NodeId.class, () -> NodeId.random(Role.ENTRANCE))
			.run((context) -> assertThat(context).hasSingleBean(StartupLogging.class));
		new ApplicationContextRunner().withConfiguration(configurations)
			.withBean(NodeId.class, () -> NodeId.random(Role.ENTRANCE))
			.run((context) -> assertThat(context).doesNotHaveBean(StartupLogging.class));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@ServiceRole(Role.PUBLISHER)
	static class PublisherApplication {

		@Bean
		NodeId nodeId() {
			return NodeId.random(Role.PUBLISHER);
		}

	}

	/**
	 * A box's node ID but no role: no configuration file is read.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PlainApplication {

		@Bean
		NodeId nodeId() {
			return NodeId.random(Role.BOX);
		}

	}

}
